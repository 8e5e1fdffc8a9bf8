// Essentia's tempo (RhythmExtractor2013, multi-feature) and key (KeyExtractor, edma) on every audio file of a folder:
// each file decoded by FFmpeg to 44.1 kHz, mono = the channels' mean (MonoLoader). Prints CSV lines for `benchmarks
// agreement <folder> <table.csv>` (file,bpm,key,scale) on stdout and, with --detail, the confidence and first beats on
// stderr.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import essentiaPackage from 'essentia.js';

const { Essentia, EssentiaWASM } = essentiaPackage;
const essentia = new Essentia(EssentiaWASM);
const [folder, ...flags] = process.argv.slice(2);
const detail = flags.includes('--detail');

/**
 * MonoLoader(sampleRate=44100): FFmpeg decodes at the native rate, MonoMixer takes the mean of the channels, then
 * Resample. The mean is taken here, not by FFmpeg's `-ac 1` downmix: that one weighs the channels differently, and on
 * near-silent material the level changes the tempo Essentia finds (87.3 against 89.4 BPM on 10 s of pink noise).
 */
function load(file) {
  const channels = Number(execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=channels', '-of', 'csv=p=0', file]).toString().trim());
  const mean = Array.from({ length: channels }, (_, c) => `${1 / channels}*c${c}`).join('+');
  const pcm = execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', file, '-map', '0:a:0', '-af', `pan=mono|c0=${mean}`, '-ar', '44100', '-f', 'f32le', '-'],
    { maxBuffer: 1 << 30 });
  return new Float32Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 4);
}

console.log('file,bpm,key,scale');
for (const name of readdirSync(folder).filter(f => /\.(ogg|opus|mp3|wav|flac|m4a)$/.test(f)).sort()) {
  const signal = essentia.arrayToVector(load(join(folder, name)));
  const rhythm = essentia.RhythmExtractor2013(signal, 208, 'multifeature', 40);
  const key = essentia.KeyExtractor(signal, true, 4096, 4096, 12, 3500, 60, 25, 0.2, 'edma', 44100, 0.0001, 440, 'cosine', 'hann');
  console.log(`${name},${rhythm.bpm.toFixed(3)},${key.key},${key.scale}`);
  if (detail) {
    const ticks = essentia.vectorToArray(rhythm.ticks);
    console.error(`${name}: bpm ${rhythm.bpm.toFixed(3)} confidence ${rhythm.confidence.toFixed(3)} ticks ${ticks.length} first ${Array.from(ticks.slice(0, 6), t => t.toFixed(3)).join(' ')}`);
  }
}
