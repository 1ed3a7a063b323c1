package io.natsboot.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Turns the subjects an application names into the subjects on the wire: with a namespace
 * {@code myapp}, {@code orders.created} becomes {@code myapp.orders.created}, and back.
 * Validates them on the way: no empty subjects or tokens, no white space, wildcards
 * ({@code *} whole tokens, {@code >} as the last token) only where subscribing.
 */
public final class NatsSubjectResolver {

	private static final int CACHE_LIMIT = 4096;

	private final String namespace;

	private final String prefix;

	/**
	 * Validated publish subjects, so the hot path pays one lookup instead of a scan and a
	 * concat.
	 */
	private final Map<String, String> publishSubjects = new ConcurrentHashMap<>();

	/**
	 * Creates a resolver.
	 * @param namespace the namespace, or empty for none
	 * @throws NatsInvalidSubjectException when the namespace is not a valid subject
	 * prefix
	 */
	public NatsSubjectResolver(String namespace) {
		String trimmed = (namespace != null) ? namespace.trim() : "";
		if (!trimmed.isEmpty()) {
			check(trimmed, false, "Namespace");
		}
		this.namespace = trimmed;
		this.prefix = trimmed.isEmpty() ? "" : trimmed + ".";
	}

	/**
	 * A resolver without namespace.
	 * @return the resolver
	 */
	public static NatsSubjectResolver none() {
		return new NatsSubjectResolver("");
	}

	/**
	 * The namespace.
	 * @return the namespace, empty for none
	 */
	public String namespace() {
		return this.namespace;
	}

	/**
	 * The full subject to publish or request to.
	 * @param subject the application's subject, without wildcards
	 * @return the subject with the namespace prefix
	 * @throws NatsInvalidSubjectException when the subject is not valid
	 */
	public String forPublish(String subject) {
		String resolved = this.publishSubjects.get(subject);
		if (resolved == null) {
			check(subject, false, "Subject");
			resolved = this.prefix + subject;
			if (this.publishSubjects.size() < CACHE_LIMIT) {
				this.publishSubjects.put(subject, resolved);
			}
		}
		return resolved;
	}

	/**
	 * The full subject to subscribe to.
	 * @param subject the application's subject, wildcards allowed
	 * @return the subject with the namespace prefix
	 * @throws NatsInvalidSubjectException when the subject is not valid
	 */
	public String forSubscribe(String subject) {
		check(subject, true, "Subject");
		return this.prefix + subject;
	}

	/**
	 * The application's subject for a subject on the wire.
	 * @param fullSubject the subject a message arrived on
	 * @return the subject without the namespace prefix (unchanged when it lacks the
	 * prefix)
	 */
	public String strip(String fullSubject) {
		return (!this.prefix.isEmpty() && fullSubject.startsWith(this.prefix))
				? fullSubject.substring(this.prefix.length()) : fullSubject;
	}

	/**
	 * The name of a stream, consumer or bucket of this application: the namespace, with
	 * {@code .} turned into {@code _} (names cannot hold dots), then {@code _}, then the
	 * name.
	 * @param name the application's name, e.g. {@code ORDERS}
	 * @return the name on the server, e.g. {@code myapp_ORDERS}
	 */
	public String forName(String name) {
		if (name == null || name.isBlank() || containsWhitespace(name) || name.contains(".") || name.contains("*")
				|| name.contains(">")) {
			throw new NatsInvalidSubjectException(
					"Name '" + name + "' must be non-empty without white space, '.', '*' or '>'");
		}
		return this.namespace.isEmpty() ? name : this.namespace.replace('.', '_') + "_" + name;
	}

	/**
	 * The application's name for a name on the server.
	 * @param serverName a stream, consumer or bucket name
	 * @return the name without the namespace prefix, or null when it is not this
	 * application's
	 */
	public @Nullable String stripName(String serverName) {
		if (this.namespace.isEmpty()) {
			return serverName;
		}
		String namePrefix = this.namespace.replace('.', '_') + "_";
		return serverName.startsWith(namePrefix) ? serverName.substring(namePrefix.length()) : null;
	}

	/**
	 * Validates a queue group name: not empty, no white space.
	 * @param queueGroup the queue group
	 * @param subject the subject it is for, for the message
	 * @return the queue group
	 */
	public static String checkQueueGroup(String queueGroup, String subject) {
		if (queueGroup == null || queueGroup.isEmpty() || containsWhitespace(queueGroup)) {
			throw new NatsInvalidSubjectException("Queue group '" + queueGroup + "' for subject '" + subject
					+ "' must be non-empty without white space");
		}
		return queueGroup;
	}

	private static void check(String subject, boolean wildcardsAllowed, String what) {
		if (subject == null || subject.isEmpty()) {
			throw new NatsInvalidSubjectException(what + " must not be empty");
		}
		if (containsWhitespace(subject)) {
			throw new NatsInvalidSubjectException(what + " '" + subject + "' must not contain white space");
		}
		String[] tokens = subject.split("\\.", -1);
		for (int i = 0; i < tokens.length; i++) {
			String token = tokens[i];
			if (token.isEmpty()) {
				throw new NatsInvalidSubjectException(
						what + " '" + subject + "' has an empty token (leading, trailing or doubled '.')");
			}
			boolean wildcard = token.equals("*") || token.equals(">");
			if (wildcard && !wildcardsAllowed) {
				throw new NatsInvalidSubjectException(what + " '" + subject + "' contains the wildcard '" + token
						+ "'; wildcards are for subscribing only");
			}
			if (!wildcard && (token.contains("*") || token.contains(">"))) {
				throw new NatsInvalidSubjectException(
						what + " '" + subject + "' has '" + token + "': a wildcard must be a whole token");
			}
			if (token.equals(">") && i != tokens.length - 1) {
				throw new NatsInvalidSubjectException(what + " '" + subject + "' has '>' before its last token");
			}
		}
	}

	private static boolean containsWhitespace(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (Character.isWhitespace(text.charAt(i))) {
				return true;
			}
		}
		return false;
	}

}
