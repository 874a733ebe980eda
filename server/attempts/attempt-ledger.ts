/**
 * The attempts of one lesson session, kept in agreement between the store and the synchronized
 * state: every change is a checked transition, written to the store first (with the progress it
 * earned, in one transaction) and only then shown in state. Callers serialize changes per learner.
 */
import type { ArraySchema } from "@colyseus/schema";
import type { Attempt } from "../../schema/index.ts";
import type { ProgressWrite, Store } from "../store/store.ts";
import { transition, type AttemptRecord, type AttemptResult, type AttemptStatus, type NewAttempt } from "./attempt.ts";
import { applyAttemptToState, attemptToState } from "./attempt-mappers.ts";
import { KotoError } from "../errors.ts";

export interface AttemptLedgerOptions {
  store: Store;
  /** The session's synchronized attempt list. */
  attempts: ArraySchema<Attempt>;
  /** Makes tutor-only fields of a new attempt visible to tutors. */
  reveal(attempt: Attempt): void;
  passMark: number;
}

export class AttemptLedger {
  private readonly records = new Map<string, AttemptRecord>();
  private readonly synced = new Map<string, Attempt>();

  constructor(private readonly options: AttemptLedgerOptions) {}

  get(id: string): AttemptRecord | undefined {
    return this.records.get(id);
  }

  require(id: string): AttemptRecord {
    const record = this.records.get(id);
    if (!record) throw new KotoError("ATTEMPT_NOT_FOUND", `no attempt "${id}" in this session`, 404);
    return record;
  }

  /** Records a new attempt (and its progress) and shows it; a replayed id returns the stored one. */
  async create(attempt: NewAttempt, progress?: ProgressWrite): Promise<{ inserted: boolean; record: AttemptRecord }> {
    const { inserted, attempt: record } = await this.options.store.recordAttempt(attempt, progress);
    if (inserted) this.show(record);
    return { inserted, record };
  }

  /** A checked transition: store first (with `progress` in the same transaction), then state. */
  async move(id: string, to: AttemptStatus, result: AttemptResult = {}, progress?: ProgressWrite): Promise<{ before: AttemptRecord; after: AttemptRecord }> {
    const before = this.require(id);
    const after = transition(before, to, result);
    await this.options.store.updateAttempt(after, progress);
    this.records.set(id, after);
    applyAttemptToState(this.synced.get(id)!, after, this.options.passMark);
    return { before, after };
  }

  /** Shows an attempt already in the store (a restored session). */
  show(record: AttemptRecord): void {
    this.records.set(record.id, record);
    const attempt = attemptToState(record, this.options.passMark);
    this.synced.set(record.id, attempt);
    this.options.attempts.push(attempt);
    this.options.reveal(attempt);
  }
}
