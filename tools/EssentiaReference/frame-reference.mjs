// Essentia's frame-wise onset functions (complex, rms, melflux; 2048/1024 at 44.1 kHz, Hann, zero phase) from
// essentia.js's own Windowing, Spectrum and MelBands, with OnsetDetection's state kept here (essentia.js runs each
// algorithm afresh per call); the complex method's phase from a double-precision FFT here (essentia.js has no FFT).
//   node frame-reference.mjs <audio file> <functions.json from `benchmarks beats <file> 44100 <set> <functions>`>
// Prints, per function, the largest difference from the library's and Essentia's TempoTapDegara beats on these values.
// A replica, not Essentia itself: the rms sum is accumulated in single precision as Essentia does, the complex
// function in double precision.
import { readFileSync } from 'node:fs';
import essentiaPackage from 'essentia.js';
import { loadMono44k } from './mono-loader.mjs';
const { Essentia, EssentiaWASM } = essentiaPackage;
const essentia = new Essentia(EssentiaWASM);
const f32 = Math.fround;
const signal = loadMono44k(process.argv[2]);
const library = JSON.parse(readFileSync(process.argv[3]));
const N = 2048, H = 1024, B = N/2+1;
const count = library.functions[0].length;

function fft(re, im) { // in place, radix 2, double
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) { let bit = n >> 1; for (; j & bit; bit >>= 1) j ^= bit; j ^= bit; if (i < j) { [re[i], re[j]] = [re[j], re[i]]; [im[i], im[j]] = [im[j], im[i]]; } }
  for (let len = 2; len <= n; len <<= 1) { const ang = -2*Math.PI/len; for (let i = 0; i < n; i += len) for (let k = 0; k < len/2; k++) {
    const wr = Math.cos(ang*k), wi = Math.sin(ang*k); const ar = re[i+k+len/2], ai = im[i+k+len/2];
    const tr = ar*wr - ai*wi, ti = ar*wi + ai*wr; re[i+k+len/2] = re[i+k]-tr; im[i+k+len/2] = im[i+k]-ti; re[i+k] += tr; im[i+k] += ti; } }
}

const complexOdf = new Float64Array(count), rmsOdf = new Float64Array(count), melOdf = new Float64Array(count);
let phase1 = new Float64Array(B), phase2 = new Float64Array(B), spec1 = new Float64Array(B);
let rmsOld = 0, melOld = new Float64Array(40);
for (let t = 0; t < count; t++) {
  const frame = new Float32Array(N);
  const start = t*H; frame.set(signal.subarray(start, Math.min(start+N, signal.length)));
  const w = essentia.Windowing(essentia.arrayToVector(frame), true, N, 'hann', 0, true).frame;
  const spectrumVec = essentia.Spectrum(w, N).spectrum;
  const spectrum = essentia.vectorToArray(spectrumVec);
  // rms
  let rms = 0; for (let i = 0; i < B; i++) rms = f32(rms + f32(spectrum[i]*spectrum[i]));
  rms = f32(f32(Math.sqrt(rms)) / B);
  rmsOdf[t] = t === 0 ? 0 : Math.max(0, f32(rms - rmsOld)); rmsOld = rms;
  // melflux
  const mel = essentia.vectorToArray(essentia.MelBands(spectrumVec, 4000, B, false, 0, 'unit_sum', 40, 44100, 'power', 'htkMel', 'warping').bands);
  let flux = 0; for (let i = 0; i < 40; i++) { const db = f32(2 * (mel[i] < 1e-10 ? -100 : f32(10*Math.log10(mel[i])))); const d = f32(db - melOld[i]); if (d >= 0) flux = f32(flux + d); melOld[i] = db; }
  melOdf[t] = t === 0 ? 0 : flux;
  // complex
  const wf = essentia.vectorToArray(w); const re = Float64Array.from(wf), im = new Float64Array(N); fft(re, im);
  let sum = 0; const mag = new Float64Array(B), ph = new Float64Array(B);
  for (let i = 0; i < B; i++) { mag[i] = Math.hypot(re[i], im[i]); ph[i] = Math.atan2(im[i], re[i]);
    let target = 2*phase1[i] - phase2[i]; target = ((target + Math.PI) % (-2*Math.PI)) + Math.PI;
    const ang = ph[i] - target; sum += Math.hypot(spec1[i] - mag[i]*Math.cos(ang), mag[i]*Math.sin(ang)); }
  complexOdf[t] = sum; phase2 = phase1; phase1 = ph; spec1 = mag;
}
const names = ['complex','rms','melflux'];
[complexOdf, rmsOdf, melOdf].forEach((e, k) => {
  const o = library.functions[k]; let peak = 0, worst = 0, at = 0;
  for (let i = 0; i < count; i++) { peak = Math.max(peak, Math.abs(e[i])); const d = Math.abs(e[i]-o[i]); if (d > worst) { worst = d; at = i; } }
  const ticks = essentia.vectorToArray(essentia.TempoTapDegara(essentia.arrayToVector(Float32Array.from(e)), 208, 40, 'x2', 44100/1024).ticks);
  console.log(`${names[k]}: ${count} values, peak ${peak.toPrecision(4)}, largest difference ${worst.toPrecision(3)} at ${at} (${e[at]} vs ${o[at]}); Essentia's tracker: ${ticks.length} beats, first ${Array.from(ticks.slice(0,6), x=>x.toFixed(3)).join(' ')}`);
});

// The whole chain rebuilt: these three functions and Essentia's own two whole-signal ones, Essentia's trackers and
// agreement. Where it equals RhythmExtractor2013's answer, the rebuilt functions are the ones Essentia computed.
{
  const sets = new EssentiaWASM.VectorVectorFloat();
  [complexOdf, rmsOdf, melOdf].forEach(values =>
    sets.push_back(essentia.TempoTapDegara(essentia.arrayToVector(Float32Array.from(values)), 208, 40, 'x2', 44100 / 1024).ticks));
  const whole = essentia.arrayToVector(signal);
  for (const method of ['beat_emphasis', 'infogain']) {
    sets.push_back(essentia.TempoTapDegara(essentia.OnsetDetectionGlobal(whole, 2048, 512, method, 44100).onsetDetections, 208, 40, 'none', 44100 / 512).ticks);
  }
  const chosen = essentia.TempoTapMaxAgreement(sets);
  const ticks = essentia.vectorToArray(chosen.ticks);
  console.log(`rebuilt chain: confidence ${chosen.confidence.toFixed(4)}, ${ticks.length} beats, first ${Array.from(ticks.slice(0, 6), t => t.toFixed(3)).join(' ')}`);
}
