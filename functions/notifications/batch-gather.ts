// One call for what several events of a batch each ask for (notify.ts): every event of the batch takes a seat, and
// asks once or passes; when the last seat has asked or passed, one load answers all the asks. No timer decides
// when the batch is complete, so the events' own pace never splits it, and no event waits on one that will not ask.

export interface Seat<Ask, Answer> {
  ask(request: Ask): Promise<Answer>;
  /** This event will not ask (it ended, or needed nothing); a no-op once it asked or passed. */
  pass(): void;
}

/**
 * `seats` events share one `load` of all their asks; `load` answers them in order. A failed load fails every ask
 * of it. A seat asks or passes once: a second ask is an error (it would have been a second load).
 */
export function createGather<Ask, Answer>(seats: number, load: (asks: Ask[]) => Promise<Answer[]>) {
  const waiting: Array<{ ask: Ask; resolve: (answer: Answer) => void; reject: (error: unknown) => void }> = [];
  let done = 0;
  const flushIfComplete = () => {
    if (done < seats || waiting.length === 0) return;
    const batch = waiting.splice(0);
    load(batch.map((w) => w.ask)).then(
      (answers) => batch.forEach((w, i) => w.resolve(answers[i]!)),
      (error: unknown) => batch.forEach((w) => w.reject(error)),
    );
  };
  return {
    seat(): Seat<Ask, Answer> {
      let used = false;
      return {
        ask(request) {
          if (used) return Promise.reject(new Error('a seat asks once'));
          used = true;
          done++;
          const answer = new Promise<Answer>((resolve, reject) => waiting.push({ ask: request, resolve, reject }));
          flushIfComplete();
          return answer;
        },
        pass() {
          if (used) return;
          used = true;
          done++;
          flushIfComplete();
        },
      };
    },
  };
}
