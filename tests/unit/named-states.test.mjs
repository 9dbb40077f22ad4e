// A model's named states in words (www/model/named-states.js): the cases the CLI's words are
// tested against too (tests/named_states.rs), so that both say the same.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { stateWords } from '../../www/model/named-states.js';

const cases = JSON.parse(readFileSync(new URL('./named-state-words.json', import.meta.url), 'utf8'));

test("each named state reads as the CLI's words, runs of layers as ranges", () => {
  for (const { state, words } of cases) assert.equal(stateWords(state), words, JSON.stringify(state));
});
