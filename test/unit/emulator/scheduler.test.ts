import { describe, expect, it } from 'vitest';
import { Scheduler, type SchedulerState } from '../../../emulator/scheduler.js';

describe('scheduler', () => {
  it('when more requests arrive than maxRunning then the rest wait first in, first out', async () => {
    const states: SchedulerState[] = [];
    const scheduler = new Scheduler(
      () => 2,
      (state) => states.push(state),
    );
    const tickets = [scheduler.arrive(), scheduler.arrive(), scheduler.arrive(), scheduler.arrive()];
    const admitted: number[] = [];
    const admissions = tickets.map((ticket, index) =>
      ticket.admit().then((admission) => (admitted.push(index), admission)),
    );
    await Promise.resolve();
    expect(scheduler.state()).toEqual({ running: 2, waiting: 2 });
    tickets[0]?.finish();
    expect(await admissions[2]).toEqual({ othersRunning: 1, queued: true });
    expect(scheduler.state()).toEqual({ running: 2, waiting: 1 });
    tickets[1]?.finish();
    await admissions[3];
    expect(admitted).toEqual([0, 1, 2, 3]);
    expect(states.at(-1)).toEqual({ running: 2, waiting: 0 });
  });

  it('when a waiting request is aborted then it leaves the queue and the waiting count', async () => {
    const scheduler = new Scheduler(() => 1);
    const running = scheduler.arrive();
    await running.admit();
    const waiting = scheduler.arrive();
    const controller = new AbortController();
    const admission = waiting.admit(controller.signal);
    controller.abort(new Error('client went away'));
    await expect(admission).rejects.toThrow('client went away');
    waiting.finish();
    expect(scheduler.state()).toEqual({ running: 1, waiting: 0 });
    running.finish();
    expect(scheduler.state()).toEqual({ running: 0, waiting: 0 });
  });

  it('when maxRunning grows then dispatch admits the waiters', async () => {
    let limit = 1;
    const scheduler = new Scheduler(() => limit);
    await scheduler.arrive().admit();
    const second = scheduler.arrive().admit();
    limit = 2;
    scheduler.dispatch();
    expect(await second).toEqual({ othersRunning: 1, queued: true });
  });

  it('when finish is called twice then the counts drop once', async () => {
    const scheduler = new Scheduler(() => 4);
    const ticket = scheduler.arrive();
    await ticket.admit();
    ticket.finish();
    ticket.finish();
    expect(scheduler.state()).toEqual({ running: 0, waiting: 0 });
  });
});
