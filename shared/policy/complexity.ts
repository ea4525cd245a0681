import type { parse } from '@bufbuild/cel';

/*
 * Bounds on what one rule may cost to evaluate. CEL has no loops, but comprehensions
 * (`all`, `exists`, `filter`, `map`) nest: four over lists of a hundred are 10^8 steps, and an
 * evaluation cannot be interrupted once started. Kubernetes bounds its admission policies by an
 * estimated cost; this bounds the shape, which a policy's author can read and change.
 */

/** Characters of one expression: real rules are a line or two. */
export const MAX_EXPRESSION_CHARS = 8 * 1024;
/** Comprehensions nested in one another (`packages.all(p, p.licenses.exists(l, …))` is two). */
export const MAX_COMPREHENSION_DEPTH = 3;
/** Nodes of the parsed expression. */
export const MAX_EXPRESSION_NODES = 5_000;

type Expr = ReturnType<typeof parse>['expr'];

/** Why `expression` is too costly to evaluate, or undefined. */
export function tooCostly(expression: string, parsed?: Expr): string | undefined {
  if (expression.length > MAX_EXPRESSION_CHARS)
    return `the expression is ${expression.length} characters long; at most ${MAX_EXPRESSION_CHARS}`;
  if (parsed === undefined) return undefined;
  const { nodes, depth } = shapeOf(parsed);
  if (nodes > MAX_EXPRESSION_NODES)
    return `the expression has ${nodes} terms; at most ${MAX_EXPRESSION_NODES}`;
  if (depth > MAX_COMPREHENSION_DEPTH)
    return `the expression nests ${depth} comprehensions (all, exists, filter, map); at most ${MAX_COMPREHENSION_DEPTH}, so that it cannot take hours`;
  return undefined;
}

/** Node count and deepest comprehension nesting, walked with a stack of its own. */
function shapeOf(root: Expr): { nodes: number; depth: number } {
  const stack: [Expr | undefined, number][] = [[root, 0]];
  let nodes = 0;
  let depth = 0;
  while (stack.length > 0) {
    const [expr, nesting] = stack.pop()!;
    if (expr === undefined) continue;
    nodes += 1;
    const kind = expr.exprKind;
    switch (kind.case) {
      case 'selectExpr':
        stack.push([kind.value.operand, nesting]);
        break;
      case 'callExpr':
        stack.push(
          [kind.value.target, nesting],
          ...kind.value.args.map((a) => [a, nesting] as [Expr, number]),
        );
        break;
      case 'listExpr':
        stack.push(...kind.value.elements.map((e) => [e, nesting] as [Expr, number]));
        break;
      case 'structExpr':
        for (const entry of kind.value.entries)
          stack.push(
            [entry.value, nesting],
            [entry.keyKind.case === 'mapKey' ? entry.keyKind.value : undefined, nesting],
          );
        break;
      case 'comprehensionExpr': {
        const inner = nesting + 1;
        depth = Math.max(depth, inner);
        const c = kind.value;
        stack.push(
          [c.iterRange, nesting],
          [c.accuInit, nesting],
          [c.loopCondition, inner],
          [c.loopStep, inner],
          [c.result, nesting],
        );
        break;
      }
      default:
        break;
    }
  }
  return { nodes, depth };
}
