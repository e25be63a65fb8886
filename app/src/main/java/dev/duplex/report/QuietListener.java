package dev.duplex.report;

/**
 * {@code -q}: passes on only what needs attention (warnings and failed files); no progress lines, no notices.
 * Thread-safe as long as the delegate is.
 */
public final class QuietListener implements TransferListener {
    private final TransferListener delegate;

    public QuietListener(TransferListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void warning(String message) {
        delegate.warning(message);
    }

    @Override
    public void fileFailed(String path, String reason) {
        delegate.fileFailed(path, reason);
    }
}
