/** The time, injected so that tests and golden files are reproducible. */
export type Clock = () => Date;
