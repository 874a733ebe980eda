/**
 * Walks the combinations of independent choices, most standard first. Each choice point has
 * `counts[i]` options, option 0 being the standard one; a combination's "deviation" is how many
 * points take another option. Yields every combination with 0 deviations, then 1, then 2, ...
 * until `limit` combinations: a cap that keeps the single departures from the standard (the
 * useful ones) instead of an arbitrary corner of an exponential product.
 */
export function* choicesByDeviation(counts: readonly number[], limit: number): Generator<number[]> {
  const points = counts.flatMap((count, index) => (count > 1 ? [index] : []));
  let produced = 0;
  for (let deviations = 0; deviations <= points.length; deviations++) {
    for (const choice of withDeviations(counts, points, deviations, 0, new Array<number>(counts.length).fill(0))) {
      if (produced >= limit) return;
      produced++;
      yield choice;
    }
  }
}

function* withDeviations(
  counts: readonly number[],
  points: readonly number[],
  remaining: number,
  from: number,
  choice: number[],
): Generator<number[]> {
  if (remaining === 0) {
    yield [...choice];
    return;
  }
  for (let p = from; p <= points.length - remaining; p++) {
    const point = points[p];
    for (let option = 1; option < counts[point]; option++) {
      choice[point] = option;
      yield* withDeviations(counts, points, remaining - 1, p + 1, choice);
    }
    choice[point] = 0;
  }
}
