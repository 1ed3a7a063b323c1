package io.natsboot.observation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subject templates keep the tokens that name a kind of message and mask the ones that
 * name one message, so metrics tagged with them stay few.
 */
class SubjectTemplateTests {

	@ParameterizedTest
	@CsvSource({ "orders.placed, orders.placed", "orders.20417.shipped, orders.*.shipped",
			"orders.v2.eu-west-1, orders.v2.eu-west-1", "shop.orders.42, shop.orders.*",
			"users.3f2b9c1e-8d4a-4b7e-9c1a-2b3c4d5e6f70.created, users.*.created", "carts.order-12345, carts.*",
			"_INBOX.kmhakG8hiHEj2pr2Mbyo18.kmhakG8hiH, _INBOX.*",
			"_INBOX_tenant-a.kmhakG8hiHEj2pr2Mbyo18.1, _INBOX_tenant-a.*", "a.b.c, a.b.c", "42, *",
			"events.2026.12.01, events.*.*.*" })
	void masksTheTokensOfOneMessage(String subject, String template) {
		assertThat(SubjectTemplate.of(subject)).isEqualTo(template);
	}

}
