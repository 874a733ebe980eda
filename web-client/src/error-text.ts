/**
 * Every error code a learner or tutor can meet, as a sentence in the UI language. Server codes come
 * from the shared protocol table (protocol/error-codes.ts, whose English sentences are the English
 * dictionary here); the app adds a few of its own. A code is never shown raw: an unknown one reads
 * as a general sentence. test/web/error-text.test.ts fails when a protocol code lacks either language.
 */
import { ERROR_SENTENCES, type ErrorCode } from "../../protocol/error-codes.ts";
import { fromMatchmakingError } from "../../protocol/matchmaking.ts";
import { language, type UiLanguage } from "./i18n.ts";

/** Codes the app itself raises (no server involved). */
const CLIENT_SENTENCES = {
  NETWORK: "The server could not be reached. Check your connection and try again.",
  NAME_REQUIRED: "Please enter your name first.",
  NAME_INVALID: "That name can't be used: at most 40 characters, without < > or invisible characters.",
  CONNECTION_PROBLEM: "There was a problem with the connection. Please try again.",
  MATCHMAKING_FAILED: "The lesson could not be opened. Please try again.",
  UNKNOWN_ERROR: "Something went wrong. Please try again.",
} as const;

export type ClientErrorCode = keyof typeof CLIENT_SENTENCES;
type AnyCode = ErrorCode | ClientErrorCode;

const en: Record<AnyCode, string> = { ...ERROR_SENTENCES, ...CLIENT_SENTENCES };

const id: Record<AnyCode, string> = {
  AUTH_TOKEN_MISSING: "Silakan masuk terlebih dahulu.",
  AUTH_TOKEN_INVALID: "Data masuk Anda tidak dapat diperiksa. Silakan masuk lagi.",
  AUTH_TOKEN_EXPIRED: "Sesi Anda telah berakhir. Silakan masuk lagi.",
  AUTH_UNKNOWN_USER: "Akun ini sudah tidak ada. Silakan masuk lagi.",
  LOGIN_FAILED: "Email atau kata sandi tidak benar.",
  ACCOUNT_DISABLED: "Akun ini dinonaktifkan. Silakan hubungi administrator.",
  RATE_LIMITED: "Terlalu banyak percobaan dalam waktu singkat. Tunggu sebentar, lalu coba lagi.",
  SIGN_IN_BUSY: "Banyak orang sedang masuk saat ini. Coba lagi beberapa detik lagi.",
  STORE_UNAVAILABLE: "Server belum dapat menjangkau basis datanya. Coba lagi sebentar lagi.",
  PATH_MALFORMED: "Alamat itu tidak valid.",
  METHOD_NOT_ALLOWED: "Alamat itu tidak dapat dipakai dengan cara ini.",
  BODY_TIMEOUT: "Permintaan terlalu lama dikirim. Coba lagi.",
  ROLE_FORBIDDEN: "Anda tidak diizinkan melakukan itu di sesi ini.",
  ROOM_OPTIONS_INVALID: "Pelajaran tidak dapat dibuka dengan pengaturan ini.",
  JOIN_OPTIONS_INVALID: "Sesi tidak dapat diikuti dengan pengaturan ini.",
  ROOM_FULL: "Sesi ini sudah penuh.",
  REDIS_UNAVAILABLE: "Pelajaran baru belum dapat dimulai saat ini. Pelajaran yang sedang berjalan tetap berlanjut; silakan coba lagi sebentar lagi.",
  SERVER_DRAINING: "Server sedang dimulai ulang; silakan coba lagi sebentar lagi.",
  SERVER_BUSY: "Banyak orang bergabung bersamaan. Silakan coba lagi dalam beberapa detik.",
  SESSION_LIVE: "Sesi ini masih terbuka; silakan bergabung lagi.",
  SESSION_RESUMING: "Sesi ini sedang dilanjutkan; silakan bergabung sebentar lagi.",
  SESSION_NOT_FOUND: "Sesi ini tidak ditemukan. Buka pelajaran lagi.",
  SESSION_LESSON_MISMATCH: "Sesi ini milik pelajaran lain. Buka pelajaran lagi.",
  SESSION_EXPIRED: "Sesi ini berhenti terlalu lama untuk dilanjutkan. Buka pelajaran lagi.",
  SESSION_UNREACHABLE: "Server yang menjalankan sesi ini tidak menjawab. Silakan coba lagi sebentar lagi.",
  ALREADY_IN_ROOM: "Anda sudah ada di sesi ini (di tab atau perangkat lain?).",
  LESSON_NOT_FOUND: "Pelajaran ini tidak ada.",
  PACK_NOT_FOUND: "Kursus ini tidak ada.",
  BODY_MALFORMED: "Permintaan tidak dapat dibaca.",
  BODY_NOT_JSON: "Permintaan harus dikirim sebagai JSON.",
  BODY_TOO_LARGE: "Permintaan terlalu besar.",
  BODY_INVALID: "Sebagian data yang dikirim tidak valid.",
  QUERY_INVALID: "Sebagian data yang dikirim tidak valid.",
  NOT_FOUND: "Halaman atau item itu tidak ada.",
  ATTEMPT_NOT_FOUND: "Jawaban itu tidak ditemukan.",
  RECORDING_NOT_FOUND: "Tidak ada rekaman untuk jawaban ini.",
  RANGE_NOT_SATISFIABLE: "Bagian rekaman itu tidak ada. Putar dari awal.",
  MODEL_AUDIO_NOT_FOUND: "Belum ada rekaman untuk kalimat ini.",
  WEB_CLIENT_NOT_BUILT: "Aplikasi belum terpasang di server ini.",
  INTERNAL: "Terjadi kesalahan di server. Silakan coba lagi.",
  MESSAGE_INVALID: "Aplikasi mengirim sesuatu yang tidak dipahami server. Silakan muat ulang halaman.",
  MESSAGE_UNKNOWN: "Aplikasi mengirim sesuatu yang tidak dipahami server. Silakan muat ulang halaman.",
  TOO_MANY_LESSONS_OPEN: "Terlalu banyak pelajaran yang terbuka. Tutup salah satunya lalu coba lagi.",
  MESSAGE_TOO_LARGE: "Aplikasi mengirim pesan yang terlalu besar. Silakan persingkat.",
  SESSION_ENDED: "Sesi ini telah berakhir. Buka pelajaran lagi untuk berlatih lagi.",
  SESSION_NOT_RUNNING: "Percakapan belum dimulai.",
  STEP_MISMATCH: "Percakapan sudah berlanjut; jawab kalimat yang sekarang.",
  NOT_YOUR_TURN: "Sekarang giliran partner Anda berbicara.",
  LEARNER_NOT_FOUND: "Pelajar itu tidak ada di sesi ini.",
  NO_ACCEPTED_ANSWERS: "Kalimat ini tidak dapat diperiksa.",
  STEP_HAS_NO_ANSWER: "Kalimat ini tidak dapat diperiksa.",
  EMPTY_TARGET: "Kalimat ini tidak dapat diperiksa.",
  INVALID_TIMING: "Jawaban ini tidak dapat diukur.",
  ATTEMPT_ID_TAKEN: "Jawaban itu sudah dikirim.",
  ATTEMPT_NOT_SPOKEN: "Hanya jawaban lisan yang dapat diperiksa ulang.",
  ATTEMPT_BUSY: "Jawaban ini masih diperiksa.",
  ATTEMPT_STATE_INVALID: "Jawaban ini tidak dapat diubah sekarang.",
  ANSWER_TOO_LONG: "Jawaban Anda terlalu panjang; ucapkan atau ketik kalimatnya saja.",
  TARGET_TOO_LONG: "Kalimat ini terlalu panjang untuk diperiksa.",
  UTTERANCE_ALREADY_OPEN: "Anda sedang berbicara; selesaikan jawaban itu dulu.",
  NO_OPEN_UTTERANCE: "Tidak ada jawaban yang sedang direkam.",
  UTTERANCE_CLOSED: "Jawaban ini sudah selesai; mulai yang baru untuk berbicara lagi.",
  UTTERANCE_TOO_LONG: "Jawaban Anda terlalu panjang, jadi dihentikan di situ.",
  AUDIO_WITHOUT_UTTERANCE: "Audio datang tanpa jawaban yang sedang dibuka.",
  AUDIO_TOO_EARLY: "Audio datang sebelum perekaman dimulai.",
  AUDIO_FORMAT_UNSUPPORTED: "Format mikrofon ini tidak didukung.",
  AUDIO_FRAME_TOO_LARGE: "Potongan audio yang dikirim terlalu besar.",
  AUDIO_FRAME_TOO_SHORT: "Sebagian audio tidak dapat dibaca.",
  AUDIO_FRAME_ODD_LENGTH: "Sebagian audio tidak dapat dibaca.",
  AUDIO_FRAME_CORRUPT: "Sebagian audio tidak dapat dibaca.",
  AUDIO_FRAME_INVALID: "Aplikasi mengirim audio yang tidak dapat dibaca server. Silakan muat ulang halaman.",
  AUDIO_SEQUENCE_GAP: "Terlalu banyak audio yang hilang di jalan.",
  AUDIO_DECODER_CLOSED: "Jawaban ini sudah selesai; mulai yang baru untuk berbicara lagi.",
  AUDIO_VAD_CLOSED: "Jawaban ini sudah selesai; mulai yang baru untuk berbicara lagi.",
  AUDIO_VAD_UNAVAILABLE: "Server tidak dapat mendengarkan sekarang. Silakan coba lagi.",
  AUDIO_WAV_INVALID: "Rekaman tidak dapat dibaca.",
  AUDIO_RATE_EXCEEDED: "Terlalu banyak audio yang datang sekaligus.",
  SPEECH_BUSY: "Banyak orang sedang berbicara sekarang. Silakan coba lagi sebentar lagi.",
  SPEECH_RATE_LIMITED: "Anda sudah menjawab berkali-kali dalam waktu singkat. Silakan tunggu sebentar.",
  SPEECH_DAILY_LIMIT: "Anda sudah mencapai batas berbicara hari ini. Silakan ketik jawaban Anda atau kembali besok.",
  SPEECH_BUDGET_EXHAUSTED: "Latihan berbicara dihentikan sementara untuk hari ini. Silakan ketik jawaban Anda.",
  NO_SPEECH: "Kami tidak mendengar suara. Periksa mikrofon Anda dan coba lagi.",
  DISCONNECTED: "Koneksi terputus sebelum kami mendengar Anda berbicara.",
  EVALUATION_FAILED: "Jawaban Anda tidak dapat diperiksa; rekaman Anda disimpan untuk tutor Anda.",
  SERVER_RESTARTED: "Server dimulai ulang saat jawaban Anda sedang diperiksa; rekaman Anda tetap disimpan.",
  SERVER_RESTARTED_NO_AUDIO: "Server dimulai ulang sebelum rekaman Anda tersimpan; silakan ucapkan kalimat ini lagi.",
  RECORDING_STORAGE_UNAVAILABLE: "Rekaman Anda tidak dapat disimpan, jadi tidak dinilai. Silakan coba lagi.",
  STT_DISABLED: "Penilaian otomatis tidak aktif; tutor Anda akan menilai jawaban ini.",
  STT_FAILED: "Pengenalan suara gagal; rekaman Anda disimpan untuk tutor Anda.",
  STT_TIMEOUT: "Pengenalan suara terlalu lama; rekaman Anda disimpan untuk tutor Anda.",
  STT_UNAVAILABLE: "Pengenalan suara sedang tidak tersedia; rekaman Anda disimpan untuk tutor Anda.",
  STT_REJECTED: "Pengenalan suara tidak dapat memproses jawaban ini.",
  STT_BAD_RESPONSE: "Pengenalan suara mengirim jawaban yang tidak dapat kami baca; rekaman Anda disimpan untuk tutor Anda.",
  STT_CANCELLED: "Pemeriksaan jawaban ini dibatalkan.",
  PROVIDER_BUSY: "Pengenalan suara sedang sibuk; rekaman Anda disimpan untuk tutor Anda.",
  PROVIDER_CIRCUIT_OPEN: "Pengenalan suara sedang tidak tersedia; rekaman Anda disimpan untuk tutor Anda.",
  PROVIDER_FAILED: "Pengenalan suara gagal; rekaman Anda disimpan untuk tutor Anda.",
  PROVIDER_TIMEOUT: "Pengenalan suara terlalu lama; rekaman Anda disimpan untuk tutor Anda.",
  PROVIDER_UNAVAILABLE: "Pengenalan suara sedang tidak tersedia; rekaman Anda disimpan untuk tutor Anda.",
  PROVIDER_REJECTED: "Pengenalan suara tidak dapat memproses jawaban ini.",
  PROVIDER_BAD_RESPONSE: "Pengenalan suara mengirim jawaban yang tidak dapat kami baca; rekaman Anda disimpan untuk tutor Anda.",
  PROVIDER_CANCELLED: "Pemeriksaan jawaban ini dibatalkan.",
  FEEDBACK_TIMEOUT: "Tips untuk jawaban ini terlalu lama.",
  FEEDBACK_UNAVAILABLE: "Tips sedang tidak tersedia.",
  FEEDBACK_REJECTED: "Tidak ada tips yang dapat ditulis untuk jawaban ini.",
  FEEDBACK_BAD_RESPONSE: "Tidak ada tips yang dapat ditulis untuk jawaban ini.",
  FEEDBACK_CANCELLED: "Tidak ada tips yang dapat ditulis untuk jawaban ini.",
  NETWORK: "Server tidak dapat dihubungi. Periksa koneksi Anda dan coba lagi.",
  NAME_REQUIRED: "Silakan masukkan nama Anda terlebih dahulu.",
  NAME_INVALID: "Nama itu tidak bisa dipakai: paling banyak 40 karakter, tanpa < > atau karakter tak terlihat.",
  CONNECTION_PROBLEM: "Ada masalah dengan koneksi. Silakan coba lagi.",
  MATCHMAKING_FAILED: "Pelajaran tidak dapat dibuka. Silakan coba lagi.",
  UNKNOWN_ERROR: "Terjadi kesalahan. Silakan coba lagi.",
};

const RETRY_AFTER: Record<UiLanguage, string> = { en: "Try again in {seconds} s.", id: "Coba lagi dalam {seconds} detik." };

export const errorDictionaries: Record<UiLanguage, Record<AnyCode, string>> = { en, id };

/** The sentence for a code in the UI language; `retryAfterMs` (limits) adds when to try again. */
export function errorText(code: string | null | undefined, options: { retryAfterMs?: number; lang?: UiLanguage } = {}): string {
  const lang = options.lang ?? language();
  const dictionary = errorDictionaries[lang];
  const sentence = code && Object.prototype.hasOwnProperty.call(dictionary, code) ? dictionary[code as AnyCode] : dictionary.UNKNOWN_ERROR;
  if (!options.retryAfterMs || options.retryAfterMs <= 0) return sentence;
  return `${sentence} ${RETRY_AFTER[lang].replace("{seconds}", String(Math.ceil(options.retryAfterMs / 1000)))}`;
}

/** The code of anything thrown at the app: an API error, a matchmaking refusal, or nothing we know. */
export function errorCodeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  // Colyseus refusals carry a number and "CODE: sentence" (protocol/matchmaking.ts).
  if (typeof code === "number") return fromMatchmakingError(error as { code: number; message?: string }).code;
  return "UNKNOWN_ERROR";
}

/**
 * Why an attempt was not scored, in the UI language: from its `failureCode`. A server that predates
 * `failureCode` sends only the English `failureReason`, shown as is in English and replaced by the
 * general sentence in any other language.
 */
export function failureText(attempt: { failureCode?: string; failureReason: string }, lang: UiLanguage = language()): string {
  if (attempt.failureCode) return errorText(attempt.failureCode, { lang });
  if (!attempt.failureReason) return "";
  return lang === "en" ? attempt.failureReason : errorText("UNKNOWN_ERROR", { lang });
}
