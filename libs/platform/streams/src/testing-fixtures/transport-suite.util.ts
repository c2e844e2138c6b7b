// The transport's integration suite, run against one Redis node and against a Redis Cluster.
import { consumerLifecycleTests } from './consumer-lifecycle-tests.util';
import { messagingTests } from './messaging-tests.util';
import { type StreamsTarget } from './stream-test.util';
import { useTransportRig } from './transport-rig.util';

export function describeTransportSuite(title: string, setup: () => Promise<{ target: StreamsTarget; cleanup(): Promise<void> }>): void {
  describe(title, () => {
    const rig = useTransportRig(setup);
    messagingTests(rig);
    consumerLifecycleTests(rig);
  });
}
