/** Bounds that keep hostile or accidental input from exhausting memory, CPU or the stack. */
export interface LoadLimits {
  /** Largest file accepted, in bytes (UTF-16 code units for text handed in as a string). Checked before parsing. */
  maxBytes: number;
  /** Most alias resolutions allowed when the file is turned into data (billion laughs). */
  maxAliasCount: number;
  /** Deepest nesting of collections; schema files need about 4. */
  maxDepth: number;
}

/** 10 MiB, 100 aliases, 64 levels: far above any real schema file, far below harm. */
export const DEFAULT_LOAD_LIMITS: Readonly<LoadLimits> = {
  maxBytes: 10 * 1024 * 1024,
  maxAliasCount: 100,
  maxDepth: 64,
};

/** The defaults overridden by whatever the caller set. */
export function resolveLimits(limits: Partial<LoadLimits> | undefined): LoadLimits {
  return { ...DEFAULT_LOAD_LIMITS, ...limits };
}
