/**
 * Whether parsed JSON nests deeper than `limit` arrays and objects. Walked with a stack of its
 * own: the check must not overflow on the very input it guards against (JSON.stringify and
 * every recursive consumer would, on a document of 100,000 nested arrays).
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node))
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** Nesting enough for any manifest, config or report; far below what overflows a stack. */
export const MAX_JSON_DEPTH = 64;
