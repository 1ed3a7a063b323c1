package io.natsboot.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

@SpringJUnitConfig(WithNatsServerSpringTests.EmptyConfiguration.class)
@WithNatsServer(jetStream = false)
class WithNatsServerSpringTests {

	@Autowired
	Environment environment;

	@Test
	void natsServersPointsAtTheServerOfTheClass(NatsServerProcess server) {
		assertThat(this.environment.getProperty("nats.servers")).isEqualTo(server.url());
	}

	@Configuration(proxyBeanMethods = false)
	static class EmptyConfiguration {

	}

}
