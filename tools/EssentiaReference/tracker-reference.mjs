// Essentia's own trackers on the library's intermediate values, to find which step of the tempo departs from Essentia:
//   node tracker-reference.mjs <audio file> <functions.json>
// <functions.json> is written by `benchmarks beats <file> 44100 <set.json> <functions.json>`: the library's five onset
// functions (complex, rms, melflux at 44100/1024 Hz; beat_emphasis, infogain at 44100/512 Hz). For each function this
// prints Essentia's TempoTapDegara beats on the library's function (the tracker alone compared); for the two whole-signal
// functions it also computes Essentia's own function (OnsetDetectionGlobal) from the audio, the largest difference, and
// Essentia's beats on it (the function compared). The audio is decoded as tempo-reference.mjs does (channels' mean).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import essentiaPackage from 'essentia.js';

const { Essentia, EssentiaWASM } = essentiaPackage;
const essentia = new Essentia(EssentiaWASM);
const [file, functionsFile] = process.argv.slice(2);
const library = JSON.parse(readFileSync(functionsFile));
const names = ['complex', 'rms', 'melflux', 'beat_emphasis', 'infogain'];

function load(path) {
  const channels = Number(execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=channels', '-of', 'csv=p=0', path]).toString().trim());
  const mean = Array.from({ length: channels }, (_, c) => `${1 / channels}*c${c}`).join('+');
  const pcm = execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', path, '-map', '0:a:0', '-af', `pan=mono|c0=${mean}`, '-ar', '44100', '-f', 'f32le', '-'],
    { maxBuffer: 1 << 30 });
  return new Float32Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 4);
}

const beats = (values, rate, resample) => {
  const ticks = essentia.vectorToArray(essentia.TempoTapDegara(values, 208, 40, resample, rate).ticks);
  return `${ticks.length} beats, first ${Array.from(ticks.slice(0, 6), t => t.toFixed(3)).join(' ')}`;
};

const signal = essentia.arrayToVector(load(file));
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
