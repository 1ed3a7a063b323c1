package io.natsboot.config;

import io.natsboot.listener.adapter.NatsListenerInvoker;
import io.natsboot.listener.adapter.NatsListenerInvokerContext;

/**
 * A listener endpoint defined in code, for
 * {@link io.natsboot.annotation.NatsListenerConfigurer}:
 *
 * <pre class="code">
 * registrar.registerEndpoint(new SimpleNatsListenerEndpoint("audit", "audit.>", (message) -> {
 *     store(message.payloadAsString());
 *     return null;
 * }));
 * </pre>
 */
public class SimpleNatsListenerEndpoint extends AbstractNatsListenerEndpoint {

	private final NatsListenerInvoker invoker;

	/**
	 * Creates an endpoint.
	 * @param id the container id
	 * @param subject the subject, wildcards allowed
	 * @param invoker what to call for each message; its return value is the reply
	 */
	public SimpleNatsListenerEndpoint(String id, String subject, NatsListenerInvoker invoker) {
		super(id, subject);
		this.invoker = invoker;
	}

	@Override
	public NatsListenerInvoker createInvoker(NatsListenerInvokerContext context) {
		return this.invoker;
	}

}
