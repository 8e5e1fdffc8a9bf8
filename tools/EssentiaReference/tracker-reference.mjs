// Essentia's own trackers on the library's intermediate values, to find which step of the tempo departs from Essentia:
//   node tracker-reference.mjs <audio file> <functions.json>
// <functions.json> is written by `benchmarks beats <file> 44100 <set.json> <functions.json>`: the library's five onset
// functions (complex, rms, melflux at 44100/1024 Hz; beat_emphasis, infogain at 44100/512 Hz). For each function this
// prints Essentia's TempoTapDegara beats on the library's function (the tracker alone compared); for the two whole-signal
// functions it also computes Essentia's own function (OnsetDetectionGlobal) from the audio, the largest difference, and
// Essentia's beats on it (the function compared). The audio is decoded as MonoLoader does (mono-loader.mjs).
import { readFileSync } from 'node:fs';
import essentiaPackage from 'essentia.js';
import { loadMono44k } from './mono-loader.mjs';

const { Essentia, EssentiaWASM } = essentiaPackage;
const essentia = new Essentia(EssentiaWASM);
const [file, functionsFile] = process.argv.slice(2);
const library = JSON.parse(readFileSync(functionsFile));
const names = ['complex', 'rms', 'melflux', 'beat_emphasis', 'infogain'];


const beats = (values, rate, resample) => {
  const ticks = essentia.vectorToArray(essentia.TempoTapDegara(values, 208, 40, resample, rate).ticks);
  return `${ticks.length} beats, first ${Array.from(ticks.slice(0, 6), t => t.toFixed(3)).join(' ')}`;
};

const signal = essentia.arrayToVector(loadMono44k(file));
for (let k = 0; k < 5; k++) {
  const slow = k < 3;
  const rate = slow ? library.SlowRate : library.FastRate;
  console.log(`${names[k]}: Essentia's tracker on the library's function: ${beats(essentia.arrayToVector(Float32Array.from(library.functions[k])), rate, slow ? 'x2' : 'none')}`);
  if (!slow) {
    const own = essentia.OnsetDetectionGlobal(signal, 2048, 512, names[k], 44100).onsetDetections;
    const values = essentia.vectorToArray(own);
    let largest = 0;
    values.forEach((v, i) => { largest = Math.max(largest, Math.abs(v - library.functions[k][i])); });
    console.log(`  Essentia's own function: ${values.length} values (the library's ${library.functions[k].length}), largest difference ${largest.toPrecision(3)}; its beats: ${beats(own, rate, 'none')}`);
  }
}
