/**
 * `list` in `compare` order: the list itself when it is in order already, as sources mostly give topics and
 * groups, else a sorted copy (snapshots are not written into).
 */
export function sortedBy<T>(list: readonly T[], compare: (a: T, b: T) => number): readonly T[] {
  for (let i = 1; i < list.length; i++) {
    if (compare(list[i - 1]!, list[i]!) > 0) return [...list].sort(compare);
  }
  return list;
}
