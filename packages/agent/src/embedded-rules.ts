import type { HostRuleSource, IntelBundleTexts } from '@qingling/core';
import type { CompiledRules } from './compiled-rules.js';

/**
 * Rule texts built into the single-file agent. From the sources this stays null and the rules are
 * read from `rules/`; `build.mjs` replaces this module with the texts of `rules/host/*.yaml` and
 * `rules/intel` (pool rows only) and their compiled form, so a copied `qingling-agent.mjs` needs no other file.
 */
export interface EmbeddedRules {
  host: HostRuleSource[];
  intel: IntelBundleTexts;
  /** The same rules compiled at build time: what the agent uses unless told to use other rules. */
  compiled?: CompiledRules;
}

export const EMBEDDED_RULES: EmbeddedRules | null = null;
