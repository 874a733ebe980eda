/**
 * GET /api/learners/me/sounds: the signed-in learner's most frequent jamo confusions across every
 * lesson (in their latest 500 attempts), with drill lines, and their practice-day streak, computed
 * from their stored attempts.
 */
import type { TokenService } from "../auth/token-service.ts";
import { authenticate } from "../auth/authenticate.ts";
import type { ContentCatalog } from "../content/lesson.ts";
import { learnerSounds } from "../progress/learner-sounds.ts";
import type { Store } from "../store/store.ts";
import { KotoError } from "../errors.ts";
import { bearerToken, endpoint } from "./endpoint.ts";

/** Attempts read for the confusions: a few lessons' worth, the learner's recent speech. */
const SOUNDS_ATTEMPTS = 500;
/** Days read for the streak and the practice-day count (more than a year of every day). */
const PRACTICE_DAYS = 400;

export function learnerRoutes(services: { store: Store; tokens: TokenService; content: ContentCatalog }) {
  return {
    mySounds: endpoint("GET", "/api/learners/me/sounds", async ({ request }) => {
      const claims = await authenticate(services.tokens, services.store, bearerToken(request));
      if (claims.role !== "learner") throw new KotoError("ROLE_FORBIDDEN", "only a learner has sounds to practise; sign in as a learner", 403);
      // The newest attempts say which sounds need work now; the streak needs only the days. Bounded both:
      // a learner's whole history read and parsed on the event loop took seconds for a long one.
      const [attempts, days] = await Promise.all([
        services.store.listAttempts({ learnerId: claims.userId, latest: SOUNDS_ATTEMPTS }),
        services.store.listPracticeDays(claims.userId, PRACTICE_DAYS),
      ]);
      return learnerSounds(attempts, (id) => services.content.getLesson(id), new Date(), days);
    }),
  };
}
