// A stand-in for siths-doctor's PC/SC helper (src/pcsc/host.ts) that speaks
// the same IPC protocol but answers from a script, to test the parent side
// (time limits, re-establishing, crashes) on cue. The script comes as JSON in
// SCRIPTED_HOST: { "<op>": [answer, ...] }, one answer per call, the last one
// repeating. An answer is { "value": ... }, { "error": WireError },
// { "hang": true } (never answer), { "crash": true } (exit at once), or for
// "watch" { "value": id, "events": [WireWatchEvent, ...] } (sent after the reply).
const script = JSON.parse(process.env.SCRIPTED_HOST ?? '{}');
const calls = {};
process.on('disconnect', () => process.exit(0));
process.on('message', (request) => {
  const answers = script[request.op] ?? [{ value: null }];
  const n = (calls[request.op] = (calls[request.op] ?? 0) + 1);
  const answer = answers[Math.min(n, answers.length) - 1];
  if (answer.crash) process.exit(3);
  if (answer.hang) return;
  if (answer.error) {
    process.send({ type: 'reply', id: request.id, ok: false, error: answer.error });
    return;
  }
  process.send({ type: 'reply', id: request.id, ok: true, value: answer.value ?? null });
  for (const event of answer.events ?? []) process.send({ type: 'watch', watch: answer.value, event });
});
process.send(script.hello ?? { type: 'hello', ok: true });
