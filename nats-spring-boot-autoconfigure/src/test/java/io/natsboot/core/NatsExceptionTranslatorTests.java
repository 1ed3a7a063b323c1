package io.natsboot.core;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The translator's own logic: reading the server's errors, refusing publishes the server
 * refused, and telling a failure without an answer from others. Its work against a server
 * is covered by {@code NatsPermissionsTests}.
 */
class NatsExceptionTranslatorTests {

	private final NatsExceptionTranslator translator = new NatsExceptionTranslator();

	@Test
	void aPublishTheServerRefusedIsRefusedNextTimeWithoutBeingSent() {
		this.translator.serverError("Permissions Violation for Publish to \"orders.new\"");
		assertThatExceptionOfType(NatsPermissionException.class)
			.isThrownBy(() -> this.translator.checkPublish("orders.new"))
			.satisfies((ex) -> {
				assertThat(ex.getSubject()).isEqualTo("orders.new");
				assertThat(ex.getDenied()).isEqualTo(NatsPermissionException.Denied.PUBLISH);
				assertThat(ex.getMessage()).contains("nothing was sent");
			});
		assertThatNoException().isThrownBy(() -> this.translator.checkPublish("orders.old"));
	}

	@Test
	void aRefusedPublishIsForgottenAfterTheRetention() {
		NatsExceptionTranslator forgetful = new NatsExceptionTranslator(Duration.ZERO, 10);
		forgetful.serverError("Permissions Violation for Publish to \"orders.new\"");
		assertThatNoException().isThrownBy(() -> forgetful.checkPublish("orders.new"));
	}

	@Test
	void onlyTheLatestSubjectsAreKept() {
		NatsExceptionTranslator small = new NatsExceptionTranslator(Duration.ofMinutes(1), 2);
		small.serverError("Permissions Violation for Publish to \"a\"");
		small.serverError("Permissions Violation for Publish to \"b\"");
		small.serverError("Permissions Violation for Publish to \"c\"");
		assertThatNoException().isThrownBy(() -> small.checkPublish("a"));
		assertThatExceptionOfType(NatsPermissionException.class).isThrownBy(() -> small.checkPublish("c"));
	}

	@Test
	void aSubscriptionViolationIsNoPublishViolation() {
		this.translator.serverError("Permissions Violation for Subscription to \"orders.new\"");
		assertThatNoException().isThrownBy(() -> this.translator.checkPublish("orders.new"));
		assertThat(this.translator.lastConnectionError()).isNull();
	}

	@Test
	void aServerErrorOtherThanAViolationIsTheConnectionProblemUntilTheNextConnect() {
		this.translator.serverError("Authorization Violation");
		// jnats reports the refused connect as an empty timeout as well: the reason stays
		this.translator.connectionException(new TimeoutException());
		assertThat(this.translator.lastConnectionError()).isEqualTo("Authorization Violation");
		this.translator.connected();
		assertThat(this.translator.lastConnectionError()).isNull();
	}

	@Test
	void aTlsFailureIsNamedWithItsCause() {
		this.translator
			.connectionException(new ExecutionException(new SSLHandshakeException("PKIX path building failed")));
		assertThat(this.translator.lastConnectionError())
			.isEqualTo("TLS handshake failed: SSLHandshakeException: PKIX path building failed");
	}

	@Test
	void failuresWithoutAnAnswerAreTimeoutsOnly() {
		assertThat(NatsExceptionTranslator.isNoAnswer(new TimeoutException())).isTrue();
		assertThat(NatsExceptionTranslator
			.isNoAnswer(new IOException("Timeout or no response waiting for NATS JetStream server"))).isTrue();
		assertThat(NatsExceptionTranslator.isNoAnswer(new IOException("Connection reset"))).isFalse();
		assertThat(NatsExceptionTranslator.isNoAnswer(new IllegalStateException("Timeout"))).isFalse();
	}

	@Test
	void tokensAreWholeTokens() {
		assertThat(NatsExceptionTranslator.hasToken("$JS.API.STREAM.INFO.KV_a", "KV_a")).isTrue();
		assertThat(NatsExceptionTranslator.hasToken("$JS.API.STREAM.INFO.KV_ab", "KV_a")).isFalse();
		assertThat(NatsExceptionTranslator.hasToken("$JS.API.CONSUMER.INFO.KV_a.x", "KV_a")).isTrue();
		assertThat(NatsExceptionTranslator.hasToken("KV_a.x", "KV_a")).isTrue();
		assertThat(NatsExceptionTranslator.hasToken("x.xKV_a", "KV_a")).isFalse();
	}

}
