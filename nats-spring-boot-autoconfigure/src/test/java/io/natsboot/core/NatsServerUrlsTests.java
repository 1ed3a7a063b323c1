package io.natsboot.core;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NatsServerUrlsTests {

	@Test
	void masksUserAndPassword() {
		assertThat(NatsServerUrls.redact("nats://alice:hunter2@nats.example.com:4222"))
			.isEqualTo("nats://******@nats.example.com:4222");
	}

	@Test
	void masksTokensInEveryUrlOfAList() {
		assertThat(NatsServerUrls.redact(List.of("tls://t0ken@a:4222", "nats://b:4222")))
			.containsExactly("tls://******@a:4222", "nats://b:4222");
		assertThat(NatsServerUrls.redact("[nats://u:p@a:1, nats://u:p@b:2]"))
			.isEqualTo("[nats://******@a:1, nats://******@b:2]");
	}

	@Test
	void leavesUrlsWithoutUserInformationAlone() {
		assertThat(NatsServerUrls.redact("nats://127.0.0.1:4222")).isEqualTo("nats://127.0.0.1:4222");
		assertThat(NatsServerUrls.redact((String) null)).isEmpty();
	}

}
