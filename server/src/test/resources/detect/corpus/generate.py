import random, uuid, json, base64, hashlib, datetime, os
R = random.Random(17)
out = '/work/wt-detect/server/src/test/resources/detect/corpus/'
def hexs(n): return ''.join(R.choice('0123456789abcdef') for _ in range(n))
def uid(): return str(uuid.UUID(int=R.getrandbits(128), version=4))
def suffix(n): return ''.join(R.choice('bcdfghjklmnpqrstvwxz2456789') for _ in range(n))
t0 = datetime.datetime(2026, 11, 3, 8, 0, 0)
def ts(i, fmt='%Y-%m-%dT%H:%M:%S'): return (t0 + datetime.timedelta(seconds=i * 0.37)).strftime(fmt)
apps = ['checkout', 'payments', 'frontend', 'catalog', 'orders', 'auth-proxy', 'search-indexer']
images = ['nginx', 'redis', 'postgres', 'golang', 'eclipse-temurin', 'busybox', 'envoyproxy/envoy']

# 1. Kubernetes objects: pods and deployments, JSON and YAML
objs = []
for i in range(60):
    app = R.choice(apps); img = R.choice(images); h = suffix(10)
    digest = 'sha256:' + hexs(64)
    pod = {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {
        'name': f'{app}-{h}-{suffix(5)}', 'namespace': R.choice(['default', 'prod', 'staging', 'kube-system']),
        'uid': uid(), 'resourceVersion': str(R.randint(100000, 99999999)), 'generateName': f'{app}-{h}-',
        'creationTimestamp': ts(i) + 'Z', 'labels': {'app': app, 'pod-template-hash': h},
        'annotations': {'kubectl.kubernetes.io/restartedAt': ts(i) + 'Z', 'checksum/config': hexs(64)},
        'ownerReferences': [{'apiVersion': 'apps/v1', 'kind': 'ReplicaSet', 'name': f'{app}-{h}', 'uid': uid(),
                             'controller': True, 'blockOwnerDeletion': True}]},
        'spec': {'containers': [{'name': app, 'image': f'docker.io/library/{img}@{digest}',
                                 'env': [{'name': 'LOG_LEVEL', 'value': 'info'}, {'name': 'OTEL_SERVICE_NAME', 'value': app}],
                                 'volumeMounts': [{'mountPath': '/var/run/secrets/kubernetes.io/serviceaccount',
                                                   'name': f'kube-api-access-{suffix(5)}', 'readOnly': True}]}],
                 'nodeName': f'ip-10-0-{R.randint(0,255)}-{R.randint(0,255)}.eu-west-1.compute.internal'},
        'status': {'phase': 'Running', 'podIP': f'10.244.{R.randint(0,255)}.{R.randint(0,255)}',
                   'containerStatuses': [{'name': app, 'ready': True, 'restartCount': R.randint(0, 3),
                                          'image': f'docker.io/library/{img}:1.{R.randint(1,27)}',
                                          'imageID': f'docker.io/library/{img}@{digest}',
                                          'containerID': 'containerd://' + hexs(64)}]}}
    objs.append(pod)
with open(out + 'pods.json', 'w') as f:
    json.dump({'apiVersion': 'v1', 'kind': 'List', 'items': objs}, f, indent=2)
def yaml(o, ind=0):
    s = ''
    for k, v in o.items():
        if isinstance(v, dict):
            s += ' ' * ind + f'{k}:\n' + yaml(v, ind + 2)
        elif isinstance(v, list):
            s += ' ' * ind + f'{k}:\n'
            for e in v:
                if isinstance(e, dict):
                    y = yaml(e, ind + 4)
                    s += ' ' * (ind + 2) + '- ' + y[ind + 4:]
                else:
                    s += ' ' * (ind + 2) + f'- {e}\n'
        else:
            s += ' ' * ind + f'{k}: {json.dumps(v) if isinstance(v, str) and ":" in v else v}\n'
    return s
with open(out + 'deployments.yaml', 'w') as f:
    for i in range(80):
        app = R.choice(apps)
        d = {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': app, 'namespace': 'prod', 'uid': uid(),
             'resourceVersion': str(R.randint(100000, 99999999)), 'generation': R.randint(1, 40),
             'annotations': {'deployment.kubernetes.io/revision': str(R.randint(1, 90))}},
             'spec': {'replicas': R.randint(1, 6), 'selector': {'matchLabels': {'app': app}},
                      'template': {'metadata': {'labels': {'app': app}},
                                   'spec': {'containers': [{'name': app, 'image': f'ghcr.io/example/{app}@sha256:{hexs(64)}',
                                                            'ports': [{'containerPort': 8080}]}]}}},
             'status': {'observedGeneration': 3, 'conditions': [{'type': 'Available', 'status': 'True',
                        'lastUpdateTime': ts(i) + 'Z', 'reason': 'MinimumReplicasAvailable',
                        'message': 'Deployment has minimum availability.'}]}}
        f.write('---\n' + yaml(d))

# 2. nginx access logs
paths = ['/api/v1/orders', '/healthz', '/static/js/main.8f3a2c1d.js', '/api/v2/catalog/items?page=3&size=50',
         '/login', '/metrics', '/api/v1/users/me', '/favicon.ico', '/assets/logo.svg']
agents = ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
          'kube-probe/1.29', 'curl/8.4.0', 'Go-http-client/1.1', 'Prometheus/2.48.0']
with open(out + 'nginx.log', 'w') as f:
    for i in range(1400):
        f.write(f'10.244.{R.randint(0,255)}.{R.randint(1,254)} - - [{ts(i, "%d/%b/%Y:%H:%M:%S")} +0000] '
                f'"{R.choice(["GET","POST","PUT"])} {R.choice(paths)} HTTP/1.1" {R.choice([200,200,200,201,204,301,404,500])} '
                f'{R.randint(0,90000)} "-" "{R.choice(agents)}" rt={R.random():.3f} uct="0.000" '
                f'request_id={hexs(32)} upstream={R.choice(apps)}.prod.svc.cluster.local:8080\n')

# 3. Java logs with stack traces and trace ids
classes = ['o.s.web.servlet.DispatcherServlet', 'c.example.orders.OrderService', 'o.h.engine.jdbc.spi.SqlExceptionHelper',
           'c.z.hikari.HikariDataSource', 'o.a.kafka.clients.consumer.KafkaConsumer', 'i.g.netty.NettyServerHandler']
with open(out + 'java.log', 'w') as f:
    for i in range(900):
        f.write(f'{ts(i, "%Y-%m-%d %H:%M:%S")}.{R.randint(0,999):03d}  {R.choice(["INFO","INFO","WARN","DEBUG","ERROR"])} 1 --- '
                f'[nio-8080-exec-{R.randint(1,10)}] {R.choice(classes)} : trace_id={hexs(32)} span_id={hexs(16)} '
                f'Completed request {uid()} for order {R.randint(100000,999999)} in {R.randint(1,900)} ms\n')
        if i % 60 == 7:
            f.write('java.lang.IllegalStateException: Connection pool exhausted (HikariPool-1 - Connection is not available, request timed out after 30000ms)\n'
                    '\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n'
                    '\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)\n'
                    '\tat org.springframework.jdbc.datasource.DataSourceUtils.fetchConnection(DataSourceUtils.java:160)\n'
                    '\tat com.example.orders.OrderRepository$$SpringCGLIB$$0.findByCustomerId(<generated>)\n'
                    '\tat java.base/java.lang.Thread.run(Thread.java:1583)\n')

# 4. Go logs (JSON and logfmt) and panics
with open(out + 'go.log', 'w') as f:
    for i in range(1100):
        if i % 2:
            f.write(json.dumps({'level': R.choice(['info', 'debug', 'warn']), 'ts': ts(i) + '.%06dZ' % R.randint(0, 999999),
                                'caller': f'server/handler.go:{R.randint(20,400)}', 'msg': 'request served',
                                'request_id': uid(), 'method': 'GET', 'path': R.choice(paths), 'status': 200,
                                'duration': f'{R.randint(1,900)}.{R.randint(0,999)}ms', 'traceID': hexs(32),
                                'etag': '"' + hexs(32) + '"'}) + '\n')
        else:
            f.write(f'time="{ts(i)}Z" level=info msg="reconciled object" controller=deployment '
                    f'object="prod/{R.choice(apps)}" reconcileID="{uid()}" resourceVersion={R.randint(10**5,10**8)} '
                    f'generation={R.randint(1,50)} elapsed={R.random():.6f}s\n')
        if i % 150 == 3:
            f.write('panic: runtime error: invalid memory address or nil pointer dereference\n'
                    f'[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x{hexs(6)}]\n\n'
                    'goroutine 1 [running]:\n'
                    f'main.(*Server).handle(0xc000{hexs(6)}, {{0x{hexs(6)}, 0xc000{hexs(6)}}}, 0xc000{hexs(6)})\n'
                    f'\t/src/server/handler.go:{R.randint(20,400)} +0x{hexs(3)}\n'
                    'net/http.HandlerFunc.ServeHTTP(...)\n'
                    f'\t/usr/local/go/src/net/http/server.go:2136\nnet/http.(*conn).serve(0xc000{hexs(6)}, {{0x{hexs(6)}, 0xc000{hexs(6)}}})\n'
                    f'\t/usr/local/go/src/net/http/server.go:2009 +0x{hexs(3)}\nexit status 2\n')

# 5. git log output
msgs = ['Fix flaky test in orders', 'Bump golang.org/x/net from 0.17.0 to 0.19.0', 'Add retry to payment client',
        'Refactor catalog search', 'Update base image digest', 'Merge pull request #4521 from example/feature-x']
with open(out + 'git.log', 'w') as f:
    for i in range(500):
        c = hexs(40)
        f.write(f'commit {c}\nAuthor: Dev {R.randint(1,30)} <dev{R.randint(1,30)}@example.com>\nDate:   {ts(i*100)}\n\n'
                f'    {R.choice(msgs)}\n\n    Change-Id: I{hexs(40)}\n\n')
        f.write(f'{c[:7]} {R.choice(msgs)}\n')

# 6. base64 of ordinary text, config dumps
texts = ['The quick brown fox jumps over the lazy dog. ', 'server {\n  listen 80;\n  server_name example.com;\n}\n',
         'log_level: info\nworkers: 4\nfeatures:\n  - search\n  - cart\n', '#!/bin/sh\nset -eu\nexec /app/server --port 8080\n',
         '{"name": "catalog", "replicas": 3, "owner": "team catalog"}']
with open(out + 'base64.log', 'w') as f:
    for i in range(500):
        t = ''.join(R.choice(texts) for _ in range(R.randint(1, 4)))
        f.write(f'{ts(i)}Z config loaded from configmap checksum={hexs(64)} content={base64.b64encode(t.encode()).decode()}\n')

# 7. kubectl output
with open(out + 'kubectl.txt', 'w') as f:
    for i in range(300):
        app = R.choice(apps); h = suffix(10)
        f.write(f'{app}-{h}-{suffix(5)}   1/1     Running   {R.randint(0,4)}          {R.randint(1,59)}m   '
                f'10.244.{R.randint(0,255)}.{R.randint(1,254)}   ip-10-0-{R.randint(0,255)}-{R.randint(0,255)}.eu-west-1.compute.internal   <none>\n')
    for i in range(60):
        f.write(f'Events:\n  Type    Reason     Age   From               Message\n  ----    ------     ----  ----               -------\n'
                f'  Normal  Scheduled  {R.randint(1,59)}m   default-scheduler  Successfully assigned prod/{R.choice(apps)}-{suffix(10)}-{suffix(5)} to node-{R.randint(1,9)}\n'
                f'  Normal  Pulled     {R.randint(1,59)}m   kubelet            Successfully pulled image "ghcr.io/example/app@sha256:{hexs(64)}" in 1.2s (1.2s including waiting). Image size: {R.randint(10**6,10**8)} bytes.\n'
                f'Container ID:   containerd://{hexs(64)}\nImage ID:       ghcr.io/example/app@sha256:{hexs(64)}\n')

# 8. harder ordinary data: integrity hashes, signatures in URLs, data URIs, lambdas, Go build ids
with open(out + 'tricky.log', 'w') as f:
    for i in range(400):
        k = i % 8
        if k == 0:
            f.write(f'npm http fetch GET 200 https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz integrity sha512-{base64.b64encode(R.randbytes(64)).decode()}\n')
        elif k == 1:
            f.write(f'GET https://bucket.s3.eu-west-1.amazonaws.com/report.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261103T080000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature={hexs(64)}\n')
        elif k == 2:
            f.write(f'\tat com.example.App$$Lambda/0x000001c8010c{hexs(4)}.apply(Unknown Source)\n')
        elif k == 3:
            f.write(f'go: downloading golang.org/x/sys v0.15.0 h1:{base64.b64encode(R.randbytes(32)).decode()}\n')
        elif k == 4:
            f.write(f'I1103 08:00:{i%60:02d}.{R.randint(0,999999):06d}       1 controller.go:{R.randint(50,400)}] "Syncing" pod="prod/{R.choice(apps)}-{suffix(10)}-{suffix(5)}" podUID="{uid()}"\n')
        elif k == 5:
            f.write(f'level=info msg="pulled image" ref=docker.io/library/redis:7.2 digest=sha256:{hexs(64)} size={R.randint(10**6,10**8)}\n')
        elif k == 6:
            f.write(f'otel exporter: trace_id={hexs(32)} span_id={hexs(16)} parent={hexs(16)} service.instance.id={uid()}\n')
        else:
            f.write(f'{ts(i)}Z session cookie set for user {R.randint(1,99999)} (value not logged) etag=W/"{hexs(40)}"\n')
