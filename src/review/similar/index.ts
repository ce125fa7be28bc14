/**
 * Never the same incident twice: similar past incidents found at declaration
 * (components, alert keys, title), the repeat flag, and the list shown in the
 * incident room.
 */
export { findSimilar, type NewIncident, openItemCounts, type SimilarFound } from "./find.ts";
export { listSimilar, SimilarIncident, SimilarList, SimilarReason } from "./list.ts";
export {
  LIST_THRESHOLD,
  MAX_SIMILAR,
  REPEAT_THRESHOLD,
  type Reason,
  rankSimilar,
  similarity,
  titleWords,
  WEIGHTS,
} from "./score.ts";
