export { snapshotFromFixture } from '../../src/eval/snapshot-from-fixture.js';
export { collectFromFixture, targetFromLabels } from '../../src/eval/collect-from-fixture.js';
