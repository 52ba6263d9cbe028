/** Query keys of everything readings, analysis or a check change: invalidated together after each. */
export const POWER_KEYS = ['/power/meters', '/power/meters/load', '/power/anomalies', '/power/checks', '/power/big-consumers', '/power/night-base'];
