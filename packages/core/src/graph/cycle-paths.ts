import type { DependencyGraph } from './graph.js';
import { byName } from './graph.js';

/**
 * Paths around one strongly connected component, found with two breadth-first searches from its
 * smallest member `root`: one along the edges (how to reach each member from root) and one against them
 * (how each member gets back to root). Any edge u → v of the component then closes the cycle
 * u → v ⇝ root ⇝ u, in time linear in the path.
 */
export class CyclePaths {
  readonly root: string;
  private readonly fromRoot: Map<string, string>;
  private readonly toRoot: Map<string, string>;

  constructor(graph: DependencyGraph, members: readonly string[]) {
    const inside = new Set(members);
    this.root = [...members].sort(byName)[0] as string;
    this.fromRoot = search(this.root, (node) => graph.dependencies(node), inside);
    this.toRoot = search(this.root, (node) => graph.dependents(node), inside);
  }

  /** The cycle through the edge `from → to`, as the list of schemas starting and ending with `from`. */
  through(from: string, to: string): string[] {
    const path = [from];
    for (let node: string | undefined = to; node !== undefined && node !== this.root; node = this.toRoot.get(node)) path.push(node);
    const back: string[] = [];
    for (let node: string | undefined = from; node !== undefined && node !== this.root; node = this.fromRoot.get(node)) back.push(node);
    path.push(this.root, ...back.reverse());
    if (path[path.length - 1] !== from) path.push(from);
    return dropRepeats(path);
  }
}

/** Breadth-first search inside the component; maps each reached node to the node it was reached from. */
function search(root: string, next: (node: string) => string[], inside: Set<string>): Map<string, string> {
  const parent = new Map<string, string>();
  const queue = [root];
  const seen = new Set(queue);
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as string;
    for (const neighbour of next(node)) {
      if (!inside.has(neighbour) || seen.has(neighbour)) continue;
      seen.add(neighbour);
      parent.set(neighbour, node);
      queue.push(neighbour);
    }
  }
  return parent;
}

function dropRepeats(path: string[]): string[] {
  return path.filter((node, i) => i === 0 || node !== path[i - 1]);
}
