/** What a scenario measured: flat keys, as they appear in bench/results.json. */
export type Figures = Record<string, number | null>;
