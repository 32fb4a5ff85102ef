// A whole shop starts per suite and sagas take seconds: the e2e project's per-test time limit.
jest.setTimeout(300_000);
