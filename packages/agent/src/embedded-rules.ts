import type { HostRuleSource, IntelBundleTexts } from '@qingling/core';

/**
 * Rule texts built into the single-file agent. From the sources this stays null and the rules are
 * read from `rules/`; `build.mjs` replaces this module with the texts of `rules/host/*.yaml` and
 * `rules/intel`, so a copied `qingling-agent.mjs` needs no other file.
 */
export interface EmbeddedRules {
  host: HostRuleSource[];
  intel: IntelBundleTexts;
}

export const EMBEDDED_RULES: EmbeddedRules | null = null;
