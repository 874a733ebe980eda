/**
 * Strings for the listening, progress, recap, "your sounds" and tutor-triage features, in the same
 * two languages as i18n.ts. Kept in their own table (same `{value}` templates, same current
 * language) so that file's error-code translations can change alongside without conflicts.
 */
import { language, type UiLanguage } from "./i18n.ts";

const en = {
  listen: "Listen",
  listenSlower: "Slower",
  listenLabel: "Listen to the line",
  listenSlowerLabel: "Listen to the line, slower",
  lineOf: "Line {n} of {total}",
  youVsModel: "You vs the model",
  playYours: "Your attempt",
  playModel: "Model",
  recapTitle: "Your recap",
  recapLines: "Lines said: {said} of {total}",
  recapBest: "Your best syllables",
  recapWeakest: "Practise these syllables",
  recapConfusions: "Sounds to practise",
  recapNothing: "Nothing to practise: every syllable was right.",
  confusion: "{expected} heard as {heard}",
  confusionTimes: "{expected} heard as {heard} ({count}×)",
  lessonDone: "Done",
  lessonBest: "Best {score}",
  lessonProgress: "{done} of {total} lines",
  continueTitle: "Continue where you stopped",
  practiceTitle: "Your practice",
  continueAction: "Continue: {title}",
  streakDays: "{count}-day streak",
  streakNone: "Practise today to start a streak",
  navSounds: "Your sounds",
  soundsTitle: "Your sounds",
  soundsIntro: "The sounds our scorer most often heard as something else, across all your lessons. Listen to each line, then say it in its lesson.",
  soundsEmpty: "No confusions found yet. Speak a few lines and come back.",
  soundsSignIn: "Open a lesson first: your sounds come from your spoken attempts.",
  drillOpen: "Practise in the lesson",
  tutorMoved: "{name} moved the lesson to another line.",
  tutorHintTitle: "Hint from {name}",
  levelBeginner: "Beginner",
  levelElementary: "Elementary",
  levelIntermediate: "Intermediate",
  // tutors
  flagSpeaking: "Speaking now",
  flagNeedsGrading: "Needs grading ({count})",
  flagIdle: "Idle {minutes} min",
  flagDisconnected: "Disconnected",
  flagOk: "On track",
  gradePass: "Pass",
  gradeClose: "Close",
  gradeRetry: "Retry",
  gradePassLabel: "Pass: grade {score}",
  gradeCloseLabel: "Close: grade {score}",
  gradeRetryLabel: "Retry: grade {score}",
  labelCorrect: "Correct",
  labelIncorrect: "Incorrect",
  tutorAwaiting: "Needs your grade",
  tutorFailed: "Automatic scoring failed — grade or re-check",
  sessionGone: "This session is no longer running (the server restarted or the lesson ended).",
  appLoading: "Loading KOTO Live…",
  phaseLobby: "Waiting to start",
  phaseRunning: "In progress",
  phaseFinished: "Finished",
} as const;

export type LearningKey = keyof typeof en;

const id: Record<LearningKey, string> = {
  listen: "Dengarkan",
  listenSlower: "Lebih lambat",
  listenLabel: "Dengarkan kalimat ini",
  listenSlowerLabel: "Dengarkan kalimat ini lebih lambat",
  lineOf: "Kalimat {n} dari {total}",
  youVsModel: "Anda vs contoh",
  playYours: "Ucapan Anda",
  playModel: "Contoh",
  recapTitle: "Ringkasan Anda",
  recapLines: "Kalimat diucapkan: {said} dari {total}",
  recapBest: "Suku kata terbaik Anda",
  recapWeakest: "Latih suku kata ini",
  recapConfusions: "Bunyi yang perlu dilatih",
  recapNothing: "Tidak ada yang perlu dilatih: semua suku kata benar.",
  confusion: "{expected} terdengar sebagai {heard}",
  confusionTimes: "{expected} terdengar sebagai {heard} ({count}×)",
  lessonDone: "Selesai",
  lessonBest: "Terbaik {score}",
  lessonProgress: "{done} dari {total} kalimat",
  continueTitle: "Lanjutkan dari terakhir kali",
  practiceTitle: "Latihan Anda",
  continueAction: "Lanjutkan: {title}",
  streakDays: "{count} hari berturut-turut",
  streakNone: "Berlatihlah hari ini untuk memulai rangkaian",
  navSounds: "Bunyi Anda",
  soundsTitle: "Bunyi Anda",
  soundsIntro: "Bunyi yang paling sering terdengar keliru oleh penilai kami, dari semua pelajaran Anda. Dengarkan setiap kalimat, lalu ucapkan di pelajarannya.",
  soundsEmpty: "Belum ada bunyi yang keliru. Ucapkan beberapa kalimat lalu kembali ke sini.",
  soundsSignIn: "Buka pelajaran dulu: bunyi Anda diambil dari ucapan Anda.",
  drillOpen: "Latih di pelajaran",
  tutorMoved: "{name} memindahkan pelajaran ke kalimat lain.",
  tutorHintTitle: "Petunjuk dari {name}",
  levelBeginner: "Pemula",
  levelElementary: "Dasar",
  levelIntermediate: "Menengah",
  flagSpeaking: "Sedang berbicara",
  flagNeedsGrading: "Perlu dinilai ({count})",
  flagIdle: "Diam {minutes} mnt",
  flagDisconnected: "Terputus",
  flagOk: "Lancar",
  gradePass: "Lulus",
  gradeClose: "Hampir",
  gradeRetry: "Ulangi",
  gradePassLabel: "Lulus: nilai {score}",
  gradeCloseLabel: "Hampir: nilai {score}",
  gradeRetryLabel: "Ulangi: nilai {score}",
  labelCorrect: "Benar",
  labelIncorrect: "Salah",
  tutorAwaiting: "Perlu nilai Anda",
  tutorFailed: "Penilaian otomatis gagal — nilai atau periksa ulang",
  sessionGone: "Sesi ini tidak berjalan lagi (server dimulai ulang atau pelajaran berakhir).",
  appLoading: "Memuat KOTO Live…",
  phaseLobby: "Menunggu dimulai",
  phaseRunning: "Berlangsung",
  phaseFinished: "Selesai",
};

const dictionaries: Record<UiLanguage, Record<LearningKey, string>> = { en, id };

export function tl(key: LearningKey, values: Record<string, string | number> = {}, lang: UiLanguage = language()): string {
  const template = dictionaries[lang][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

const LEVEL_KEYS: Record<string, LearningKey> = { beginner: "levelBeginner", elementary: "levelElementary", intermediate: "levelIntermediate" };

/** A lesson level as a Title Case badge in the UI language; an unknown level is shown capitalised. */
export function levelLabel(level: string): string {
  const key = LEVEL_KEYS[level];
  return key ? tl(key) : level.charAt(0).toUpperCase() + level.slice(1);
}

export function learningKeys(lang: UiLanguage): string[] {
  return Object.keys(dictionaries[lang]);
}

const PHASE_KEYS: Record<string, LearningKey> = { lobby: "phaseLobby", running: "phaseRunning", finished: "phaseFinished" };

/** A session phase as words in the UI language (the server sends "lobby", "running", "finished"). */
export function phaseLabel(phase: string): string {
  return PHASE_KEYS[phase] ? tl(PHASE_KEYS[phase]) : phase;
}
