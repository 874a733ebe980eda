/**
 * GET /api/learners/me/sounds: the signed-in learner's most frequent jamo confusions across every
 * lesson, with drill lines, and their practice-day streak, computed from their stored attempts.
 */
import type { TokenService } from "../auth/token-service.ts";
import { authenticate } from "../auth/authenticate.ts";
import type { ContentCatalog } from "../content/lesson.ts";
import { learnerSounds } from "../progress/learner-sounds.ts";
import type { Store } from "../store/store.ts";
import { KotoError } from "../errors.ts";
import { bearerToken, endpoint } from "./endpoint.ts";

export function learnerRoutes(services: { store: Store; tokens: TokenService; content: ContentCatalog }) {
  return {
    mySounds: endpoint("GET", "/api/learners/me/sounds", async ({ request }) => {
      const claims = await authenticate(services.tokens, services.store, bearerToken(request));
      if (claims.role !== "learner") throw new KotoError("ROLE_FORBIDDEN", "only a learner has sounds to practise; sign in as a learner", 403);
      const attempts = await services.store.listAttempts({ learnerId: claims.userId });
      return learnerSounds(attempts, (id) => services.content.getLesson(id));
    }),
  };
}
