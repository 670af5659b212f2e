package dev.gatehouse.session;

/** Counts what the decoders report; the fuzz targets only care that decoding ends cleanly. */
class CountingEvents implements SessionEvents {
    long events;

    @Override
    public void stdin(byte[] data) {
        events++;
    }

    @Override
    public void stdout(byte[] data) {
        events++;
    }

    @Override
    public void stderr(byte[] data) {
        events++;
    }

    @Override
    public void status(byte[] data) {
        events++;
    }

    @Override
    public void resize(int width, int height) {
        events++;
    }

    @Override
    public void forwardStream(String requestId, int port, String kind) {
        events++;
    }

    @Override
    public void forwardData(String requestId, boolean toPod, byte[] data) {
        events++;
    }

    @Override
    public void forwardError(String requestId, byte[] data) {
        events++;
    }

    @Override
    public void forwardClosed(String requestId) {
        events++;
    }
}
