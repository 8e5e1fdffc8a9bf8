// Essentia's tempo (RhythmExtractor2013, multi-feature) and key (KeyExtractor, edma) on every audio file of a folder:
// each file decoded by FFmpeg to 44.1 kHz, mono = the channels' mean (MonoLoader). Prints CSV lines for `benchmarks
// agreement <folder> <table.csv>` (file,bpm,key,scale) on stdout and, with --detail, the confidence and first beats on
// stderr; with --json <file>, each file's tempo, confidence and beats as a test reference
// (tests/TestData/reference/tempo-kinds.essentia.json).
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import essentiaPackage from 'essentia.js';
import { loadMono44k } from './mono-loader.mjs';

const { Essentia, EssentiaWASM } = essentiaPackage;
const essentia = new Essentia(EssentiaWASM);
const [folder, ...flags] = process.argv.slice(2);
const detail = flags.includes('--detail');
const jsonPath = flags.includes('--json') ? flags[flags.indexOf('--json') + 1] : null;
const reference = {
  tool: 'Essentia 2.1-beta6-dev via essentia.js 0.1.3 (WebAssembly): RhythmExtractor2013(maxTempo=208, method=multifeature, minTempo=40)',
  input: 'FFmpeg decode at the native rate, mono = the channels\' mean, FFmpeg\'s default resampler to 44.1 kHz (tools/EssentiaReference/mono-loader.mjs)',
  files: {},
};

console.log('file,bpm,key,scale');
for (const name of readdirSync(folder).filter(f => /\.(ogg|opus|mp3|wav|flac|m4a)$/.test(f)).sort()) {
  const signal = essentia.arrayToVector(loadMono44k(join(folder, name)));
  const rhythm = essentia.RhythmExtractor2013(signal, 208, 'multifeature', 40);
  const key = essentia.KeyExtractor(signal, true, 4096, 4096, 12, 3500, 60, 25, 0.2, 'edma', 44100, 0.0001, 440, 'cosine', 'hann');
  console.log(`${name},${rhythm.bpm.toFixed(3)},${key.key},${key.scale}`);
  if (jsonPath) {
    const beats = Array.from(essentia.vectorToArray(rhythm.ticks), t => Number(t.toFixed(6)));
    reference.files[name] = { bpm: Number(rhythm.bpm.toFixed(4)), confidence: Number(rhythm.confidence.toFixed(4)), beats };
  }
  if (detail) {
    const ticks = essentia.vectorToArray(rhythm.ticks);
    console.error(`${name}: bpm ${rhythm.bpm.toFixed(3)} confidence ${rhythm.confidence.toFixed(3)} ticks ${ticks.length} first ${Array.from(ticks.slice(0, 6), t => t.toFixed(3)).join(' ')}`);
  }
}
if (jsonPath) {
  writeFileSync(jsonPath, JSON.stringify(reference, null, 1) + '\n');
}
