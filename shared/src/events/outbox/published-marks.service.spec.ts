import { PublishedMarksService } from './published-marks.service';

describe('PublishedMarks', () => {
  it('marks at once when idle, and folds the marks that arrive meanwhile into the next UPDATE', async () => {
    const updates: string[][] = [];
    let finishFirst!: () => void;
    const marks = new PublishedMarksService((ids) => {
      updates.push(ids);
      return updates.length === 1
        ? new Promise<void>((resolve) => (finishFirst = resolve))
        : Promise.resolve();
    });

    const first = marks.mark(['a']);
    const later = [marks.mark(['b']), marks.mark(['c', 'd'])];
    expect(updates).toEqual([['a']]);
    finishFirst();
    await Promise.all([first, ...later]);

    expect(updates).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('rejects every mark of a failed UPDATE and goes on with the next', async () => {
    let calls = 0;
    const marks = new PublishedMarksService(async () => {
      if (++calls === 1) throw new Error('database away');
    });

    await expect(marks.mark(['a'])).rejects.toThrow('database away');
    await expect(marks.mark(['b'])).resolves.toBeUndefined();
    await marks.settled();
  });
});
