package dev.duplex.notify;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Sends messages by SMTP (Angus Mail), as {@link MailSettings} say. A message that cannot be sent is reported to
 * the warnings and counted; sending never throws, so it never changes what a run does or its exit code.
 */
public final class Mailer {
    private static final String TIMEOUT_MS = "20000";

    private final MailSettings settings;
    private final Map<String, String> env;
    private final Consumer<String> warnings;

    public Mailer(MailSettings settings, Map<String, String> env, Consumer<String> warnings) {
        this.settings = settings;
        this.env = env;
        this.warnings = warnings;
    }

    /** One message to send: its subject (after the settings' prefix) and plain-text body. */
    public record Mail(String subject, String body) {
    }

    /** Sends each message; how many could not be sent. */
    public int send(List<Mail> mails) {
        int failed = 0;
        for (Mail m : mails) {
            try {
                sendOne(m);
            } catch (MessagingException | RuntimeException e) {
                failed++;
                warnings.accept("cannot send the e-mail '" + m.subject() + "' through " + settings.smtpHost() + ":"
                        + settings.smtpPort() + ": " + describe(e));
            }
        }
        return failed;
    }

    private void sendOne(Mail m) throws MessagingException {
        Session session = session();
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(settings.from()));
        for (String to : settings.to()) {
            message.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
        }
        message.setSubject(settings.subjectPrefix() + " " + m.subject(), StandardCharsets.UTF_8.name());
        message.setText(m.body(), StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        message.saveChanges();
        try (Transport transport = session.getTransport(settings.security() == MailSettings.Security.TLS ? "smtps"
                : "smtp")) {
            transport.connect();
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    private Session session() {
        Properties p = new Properties();
        boolean tls = settings.security() == MailSettings.Security.TLS;
        String proto = tls ? "smtps" : "smtp";
        p.put("mail.transport.protocol", proto);
        p.put("mail." + proto + ".host", settings.smtpHost());
        p.put("mail." + proto + ".port", String.valueOf(settings.smtpPort()));
        p.put("mail." + proto + ".connectiontimeout", TIMEOUT_MS);
        p.put("mail." + proto + ".timeout", TIMEOUT_MS);
        p.put("mail." + proto + ".writetimeout", TIMEOUT_MS);
        if (settings.security() == MailSettings.Security.STARTTLS) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (tls || settings.security() == MailSettings.Security.STARTTLS) {
            if (settings.sslTrust().isPresent()) {       // trusted as configured, without checking the name
                p.put("mail." + proto + ".ssl.trust", settings.sslTrust().get());
                p.put("mail." + proto + ".ssl.checkserveridentity", "false");
            } else {
                p.put("mail." + proto + ".ssl.checkserveridentity", "true");
            }
        }
        Authenticator auth = null;
        if (settings.username().isPresent()) {
            String password = settings.passwordEnv().map(env::get).orElse(null);
            if (settings.passwordEnv().isPresent() && password == null) {
                throw new IllegalStateException("the environment variable " + settings.passwordEnv().get()
                        + " (password-env) is not set");
            }
            p.put("mail." + proto + ".auth", "true");
            p.put("mail." + proto + ".user", settings.username().get());
            String user = settings.username().get();
            String pass = password == null ? "" : password;
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, pass);
                }
            };
        }
        return Session.getInstance(p, auth);
    }

    private static String describe(Exception e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !b.toString().contains(cause.getMessage())) {
            b.append(" (").append(cause.getMessage()).append(')');
        }
        return b.toString().replaceAll("\\s+", " ").trim();
    }
}
