import type { Registry } from '@aegis/core';

/**
 * Files of the schemas on a foreign-key cycle through `name`: those reachable from it that also reach it.
 * Iterative, so a 10,000-long chain does not overflow the stack. Self-references are not cycles.
 */
export function cycleMembers(registry: Registry, name: string, referrers: (name: string) => string[]): string[] {
  const forward = new Set<string>();
  const stack = [name];
  while (stack.length > 0) {
    const schema = registry.schemas.get(stack.pop() ?? '');
    for (const ref of schema?.references ?? []) {
      const target = ref.schema.value;
      if (!forward.has(target) && registry.schemas.has(target)) {
        forward.add(target);
        stack.push(target);
      }
    }
  }
  if (!forward.has(name)) return [];
  const members: string[] = [];
  const seen = new Set<string>([name]);
  const queue = [name];
  while (queue.length > 0) {
    const current = queue.pop() ?? '';
    const file = registry.schemas.get(current)?.file;
    if (file !== undefined) members.push(file);
    for (const referrer of referrers(current)) {
      const referrerName = registry.files.get(referrer)?.schema?.name.value;
      if (referrerName !== undefined && forward.has(referrerName) && !seen.has(referrerName)) {
        seen.add(referrerName);
        queue.push(referrerName);
      }
    }
  }
  return members;
}
