import { describe, expect, it } from 'vitest';
import { cyrb128, KeyHash } from '../../src/random/cyrb128.js';
import { TRIAL_LEVEL } from '../../src/random/stream.js';
import { EXTERNAL_PATIENT_OFFSET } from '../../src/trial/simulate-trial.js';

/** cyrb128 as vtrial shipped it (one pass over the whole text): the oracle for the incremental one. */
function original(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const words = (k: KeyHash) => [k.h1, k.h2, k.h3, k.h4];

const PATIENTS = [0, 1, 9, 10, 99, 100, 12345, TRIAL_LEVEL, -10, -123456, EXTERNAL_PATIENT_OFFSET, EXTERNAL_PATIENT_OFFSET + 1, EXTERNAL_PATIENT_OFFSET + 987654, 2 ** 31, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
const PURPOSES = ['', 'covariates', 'empirical', 'pk', 'dropout', 'tte/TTE', 'biomarker/hba1c', 'ae/Nausea', 'randomisation/F/EU', 'prognostic/199/biomarker/y', 'ae/Übelkeit 😷'];

describe('cyrb128', () => {
  it('is the shipped hash, pinned', () => {
    expect(cyrb128('vtrial/1/0/0/covariates')).toEqual([1496768928, 525666482, 1835207639, 1495636097]);
    for (const s of ['', 'a', 'vtrial/7/2/41/covariates', 'ünï©ødé 😷', 'x'.repeat(1000)]) expect(cyrb128(s)).toEqual(original(s));
  });

  it('fed in pieces, equals the hash of the whole text, split anywhere', () => {
    for (const text of ['vtrial/20261130/3/-1/randomisation/ALL', 'vtrial/1/0/1000000017/covariates', 'ae/Übelkeit 😷 and more']) {
      for (let i = 0; i <= text.length; i++) {
        for (const j of [i, Math.min(text.length, i + 3), text.length]) {
          const k = new KeyHash().add(text.slice(0, i)).add(text.slice(i, j)).add(text.slice(j)).finish();
          expect(words(k)).toEqual(original(text));
        }
      }
    }
  });

  it('a copied prefix state continues like hashing the full key text, for every patient and purpose', () => {
    for (const seed of [0, 1, 7, 20261130, -3]) {
      for (const replicate of [0, 1, 42, 1999]) {
        for (const patient of PATIENTS) {
          const prefix = new KeyHash().add(`vtrial/${seed}/${replicate}/`).add(String(patient)).add('/');
          for (const purpose of PURPOSES) {
            const k = new KeyHash().copyFrom(prefix).add(purpose).finish();
            expect(words(k)).toEqual(original(`vtrial/${seed}/${replicate}/${patient}/${purpose}`));
          }
          // The prefix itself is untouched by the continuations.
          expect(words(prefix.finish())).toEqual(original(`vtrial/${seed}/${replicate}/${patient}/`));
        }
      }
    }
  });
});
