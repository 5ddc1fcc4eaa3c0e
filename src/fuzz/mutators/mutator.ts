/**
 * The shape every mutation strategy has, kept out of the strategy files so
 * that each target family's file and the registry can share it without
 * importing one another.
 */
import type { Rng } from '../rng.js';
import type { Landmarks } from '../subjects.js';

export interface Mutator {
  readonly name: string;
  /** Whether the input has the structures this strategy aims at. */
  applies(marks: Landmarks): boolean;
  mutate(bytes: Uint8Array, rng: Rng, marks: Landmarks): Uint8Array;
}

export type Width = 1 | 2 | 4 | 8;
