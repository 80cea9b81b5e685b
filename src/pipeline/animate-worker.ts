// A thread that animates one video's speech (animate/index.ts) and is then ended: the analysis's
// garbage (the audio's copy, its features) goes with the thread instead of staying in a render
// thread's heap for the whole video, where it grew the peak memory with the video's length.
import { parentPort, workerData } from 'node:worker_threads';
import { animate, type AnimateInput } from '../animate/index.js';

parentPort!.postMessage(animate(workerData as AnimateInput));
