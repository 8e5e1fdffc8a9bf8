// Essentia's TempoTapMaxAgreement on fixed sets of five beat sequences: writes
// tests/TestData/reference/tempo-agreement.essentia.json, which BeatAgreementTests hold the library's port to.
// The sets: the five trackers' beats of the library on generated signals (written by `benchmarks beats <file> <rate>
// <set.json>`, given on the command line), and sets drawn here from a seeded generator where some sequences have under
// two beats after the first 5 s while the others barely agree: there Essentia's integer log2 decides which wins.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import essentiaPackage from 'essentia.js';

const { Essentia, EssentiaWASM } = essentiaPackage;
const essentia = new Essentia(EssentiaWASM);
const [output, ...inputs] = process.argv.slice(2);

let seed = 20261204;
function random() {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}

/** Beats at a jittered period from `start` to `end` seconds, rounded to the millisecond (float32-exact enough). */
function sequence(start, end, period, jitter) {
  const ticks = [];
  for (let t = start + random() * period; t < end; t += period * (1 + jitter * (random() - 0.5))) {
    ticks.push(Math.round(t * 1000) / 1000);
  }
  return ticks;
}

const sets = inputs.map(file => ({ name: basename(file, '.json'), candidates: JSON.parse(readFileSync(file, 'utf8')) }));
/** Beats at uniformly random times: sequences that agree with nothing (their pairs' gains are near or below 0). */
function scattered(end, count) {
  return Array.from({ length: count }, () => Math.round((0.1 + random() * (end - 0.1)) * 1000) / 1000)
    .sort((a, b) => a - b).filter((t, k, all) => k === 0 || t > all[k - 1]);
}

for (let i = 0; i < 10; i++) {
  // Short pieces with loosely agreeing trackers; then long ones whose trackers agree with nothing: with hundreds of
  // beat errors spread over every bin a pair's gain falls below 0, and the sequence that stopped early (pairs of 0) wins.
  const end = i < 3 ? 9 + random() * 8 : 120 + random() * 180;
  const short = i % 5;
  const candidates = [];
  for (let m = 0; m < 5; m++) {
    candidates.push(m === short ? [0.4, 1.9, 3.3, end - 0.5] : i < 3 ? sequence(0.2, end, 0.35 + random() * 0.4, 1.2) : scattered(end, Math.floor(end * (1.5 + random()))));
  }
  sets.push({ name: i < 3 ? `short-jittered-${i}` : `short-scattered-${i}`, candidates });
}

const cases = sets.map(({ name, candidates }) => {
  const vectors = new essentia.module.VectorVectorFloat();
  for (const c of candidates) vectors.push_back(essentia.arrayToVector(Float32Array.from(c)));
  const agreed = essentia.TempoTapMaxAgreement(vectors);
  const ticks = essentia.vectorToArray(agreed.ticks);
  const chosen = candidates.findIndex(c => c.length === ticks.length && c.every((t, k) => Math.fround(t) === ticks[k]));
  return { name, confidence: agreed.confidence, chosen, candidates };
});

writeFileSync(output, JSON.stringify({
  tool: 'Essentia 2.1-beta6-dev TempoTapMaxAgreement via essentia.js 0.1.3 (WebAssembly); tools/EssentiaReference/agreement-reference.mjs',
  cases,
}) + '\n');
for (const c of cases) console.log(`${c.name}: chosen ${c.chosen}, confidence ${c.confidence.toFixed(4)}`);
