// The bundle loader lives beside the data in rules/intel; the CLI's commands import it from here.
export { intelDir, readIntelBundle, loadIntelMatcher } from '../../../../rules/intel/index.js';
