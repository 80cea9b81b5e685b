// The task input every suite creates its tasks with.
import type { TaskInput } from '../../../src/store/ports.js';

export const INPUT: TaskInput = {
  inputs: { imageUrl: 'https://cdn.example.com/a.png', audioUrl: 'https://cdn.example.com/a.mp3' },
  spec: { duration: 10, resizeMode: 'adaptive' },
  isNewAvatar: false,
};
export const DAY = 86_400_000;
