// Names the process that holds a job, in metrics and in the task detail's render record.
import os from 'node:os';

export const workerId = (): string => `${os.hostname()}:${process.pid}`;
