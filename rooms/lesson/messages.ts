/**
 * The lesson room's message schemas live in the shared protocol module (protocol/), which the web
 * client and the Unity package mirror; this file keeps the room's imports where they were.
 */
export {
  createOptionsSchema, describeIssues, joinOptionsSchema, learnerMessages, tutorMessages,
  type LearnerMessageType, type MessagePayload, type TutorMessageType,
} from "../../protocol/client-messages.ts";
