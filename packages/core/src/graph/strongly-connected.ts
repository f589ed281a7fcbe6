import type { DependencyGraph } from './graph.js';

/**
 * Tarjan's strongly connected components, iteratively (an explicit stack instead of recursion, so a
 * 10,000-long reference chain cannot overflow the call stack). Linear in nodes plus edges.
 */
export function stronglyConnected(graph: DependencyGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of graph.nodes) {
    if (index.has(root)) continue;
    // Each frame: a node and how many of its dependencies have been visited.
    const frames: { node: string; next: number; edges: string[] }[] = [];
    const enter = (node: string): void => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      frames.push({ node, next: 0, edges: graph.dependencies(node) });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as (typeof frames)[number];
      const target = frame.edges[frame.next++];
      if (target !== undefined) {
        if (!index.has(target)) enter(target);
        else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node) ?? 0, index.get(target) ?? 0));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(frame.node) ?? 0));
      if (low.get(frame.node) === index.get(frame.node)) components.push(popComponent(stack, onStack, frame.node));
    }
  }
  return components;
}

function popComponent(stack: string[], onStack: Set<string>, root: string): string[] {
  const component: string[] = [];
  for (;;) {
    const node = stack.pop() as string;
    onStack.delete(node);
    component.push(node);
    if (node === root) return component;
  }
}
