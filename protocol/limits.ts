/**
 * Limits a client should know to stop a learner before the server refuses: no zod here, so the web
 * client can import the values without bundling the schemas that enforce them (client-messages.ts).
 */

/** The longest typed answer: a line of a lesson is a few dozen characters. */
export const ANSWER_MAX_CHARACTERS = 200;
