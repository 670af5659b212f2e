package dev.gatehouse.bench.load;

/** The fixed answer of the upstream: a PodList of three pods, about 2 KB, shaped like the apiserver's JSON. */
final class PodListBody {
    private PodListBody() {
    }

    static String json() {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            if (i > 0) {
                items.append(',');
            }
            items.append("""
                    {"metadata":{"name":"web-7c9d8f6b5-%1$05d","generateName":"web-7c9d8f6b5-","namespace":"default",\
                    "uid":"0b6f3c2e-8d1a-4f5b-9c3e-%1$012d","resourceVersion":"%2$d",\
                    "creationTimestamp":"2025-01-01T00:00:00Z","labels":{"app":"web","pod-template-hash":"7c9d8f6b5"},\
                    "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-7c9d8f6b5",\
                    "uid":"5e2d1c0b-3a4f-4e6d-8b7a-000000000001","controller":true,"blockOwnerDeletion":true}]},\
                    "spec":{"containers":[{"name":"web","image":"registry.example/web:1.4.2","ports":[{"containerPort":8080,\
                    "protocol":"TCP"}],"resources":{"requests":{"cpu":"100m","memory":"128Mi"}},\
                    "imagePullPolicy":"IfNotPresent"}],"restartPolicy":"Always","dnsPolicy":"ClusterFirst",\
                    "serviceAccountName":"default","nodeName":"node-%3$d"},\
                    "status":{"phase":"Running","podIP":"10.244.%3$d.%4$d","startTime":"2025-01-01T00:00:01Z"}}"""
                    .formatted(i, 1000 + i, i % 2, 10 + i));
        }
        return "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1003\"},\"items\":["
                + items + "]}\n";
    }
}
