import type { DependencyGraph } from './graph.js';
import { byName } from './graph.js';

/**
 * Paths around one strongly connected component, found with two breadth-first searches from its
 * smallest member `root`: one along the edges (how root reaches each member) and one against them (how
 * each member gets back to root). Any edge u → v of the component then closes the cycle
 * u → v ⇝ root ⇝ u. Building the maps is linear; a path's length is known without walking it.
 */
export class CyclePaths {
  readonly root: string;
  private readonly fromRoot: Search;
  private readonly toRoot: Search;

  constructor(graph: DependencyGraph, members: readonly string[]) {
    const inside = new Set(members);
    this.root = [...members].sort(byName)[0] as string;
    this.fromRoot = search(this.root, (node) => graph.dependencies(node), inside);
    this.toRoot = search(this.root, (node) => graph.dependents(node), inside);
  }

  /** How many schemas the cycle through `from → to` lists, counting `from` at both ends. */
  length(from: string, to: string): number {
    if (to === this.root) return 2 + (this.fromRoot.depth.get(from) ?? 0);
    return 2 + (this.toRoot.depth.get(to) ?? 0) + (this.fromRoot.depth.get(from) ?? 0);
  }

  /**
   * The first `count` schemas of the cycle through `from → to` (all of it by default), which starts and
   * ends with `from`. Walking stops at `count`, so showing the start of a 10,000-long cycle stays cheap.
   */
  through(from: string, to: string, count = Infinity): string[] {
    const path = [from];
    if (from !== to) {
      for (
        let node: string | undefined = to;
        node !== undefined && path.length < count;
        node = this.toRoot.parent.get(node)
      ) {
        path.push(node);
        if (node === this.root) break;
      }
    }
    if (path.length >= count) return path;
    // Back from root to `from`: the search tree holds it in reverse.
    const back: string[] = [];
    for (
      let node: string | undefined = from;
      node !== undefined && node !== this.root;
      node = this.fromRoot.parent.get(node)
    )
      back.push(node);
    for (const node of back.reverse()) {
      if (path.length >= count) break;
      path.push(node);
    }
    return path;
  }
}

interface Search {
  parent: Map<string, string>;
  depth: Map<string, number>;
}

/** Breadth-first search inside the component: each reached node's predecessor and distance. */
function search(root: string, next: (node: string) => string[], inside: Set<string>): Search {
  const parent = new Map<string, string>();
  const depth = new Map<string, number>([[root, 0]]);
  const queue = [root];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as string;
    for (const neighbour of next(node)) {
      if (!inside.has(neighbour) || depth.has(neighbour)) continue;
      depth.set(neighbour, (depth.get(node) ?? 0) + 1);
      parent.set(neighbour, node);
      queue.push(neighbour);
    }
  }
  return { parent, depth };
}
