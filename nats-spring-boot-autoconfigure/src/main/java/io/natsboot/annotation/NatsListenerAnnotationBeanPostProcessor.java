package io.natsboot.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.nats.client.api.DeliverPolicy;
import io.natsboot.config.JetStreamListenerSettings;
import io.natsboot.config.MethodNatsListenerEndpoint;
import io.natsboot.config.NatsListenerContainerFactory;
import io.natsboot.config.NatsListenerEndpointRegistrar;
import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.core.Acknowledgment;
import io.natsboot.core.AnnotationValueResolver;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsInvalidSubjectException;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.core.NatsSubjectResolver;
import io.natsboot.jetstream.DelaySequenceBackOff;
import io.natsboot.listener.adapter.NatsListenerErrorHandler;
import io.natsboot.listener.adapter.NatsListenerInvokerContext;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;
import org.springframework.validation.Validator;

/**
 * Finds {@link NatsListener} methods on beans and turns each into a
 * {@link MethodNatsListenerEndpoint}; once all singletons exist, registers them (and
 * those of {@link NatsListenerConfigurer}s) with the
 * {@link NatsListenerEndpointRegistry}, with containers from the
 * {@code natsListenerContainerFactory} bean. Placeholders and expressions in attributes
 * are resolved; an invalid subject or an unresolvable parameter fails start-up naming the
 * bean and method.
 */
public class NatsListenerAnnotationBeanPostProcessor extends AbstractNatsAnnotationBeanPostProcessor<NatsListener> {

	/**
	 * The post-processor's bean name; a bean of this name makes the auto-configured one
	 * back off.
	 */
	public static final String BEAN_NAME = "io.natsboot.listener.internalNatsListenerAnnotationProcessor";

	/** The name of the container factory bean listeners use. */
	public static final String DEFAULT_CONTAINER_FACTORY_BEAN_NAME = "natsListenerContainerFactory";

	private final NatsListenerEndpointRegistrar registrar = new NatsListenerEndpointRegistrar();

	/**
	 * How many listeners without an id each bean method has, for their default ids.
	 */
	private final Map<String, AtomicInteger> defaultIds = new ConcurrentHashMap<>();

	/**
	 * Error handler bean names, with the listener that names each, checked once all beans
	 * exist.
	 */
	private final Map<String, String> errorHandlerNames = new ConcurrentHashMap<>();

	/**
	 * Creates the post-processor; attributes may hold placeholders and {@code #{...}}
	 * expressions.
	 */
	public NatsListenerAnnotationBeanPostProcessor() {
		super(NatsListener.class, true);
	}

	@Override
	protected Set<NatsListener> findAnnotations(Method method) {
		return AnnotatedElementUtils.getMergedRepeatableAnnotations(method, NatsListener.class, NatsListeners.class);
	}

	@Override
	protected void processAnnotation(NatsListener listener, Method method, Object bean, String beanName) {
		this.registrar.registerEndpoint(endpoint(listener, method, bean, beanName));
	}

	private MethodNatsListenerEndpoint endpoint(NatsListener listener, Method method, Object bean, String beanName) {
		String where = describe(method, beanName);
		String subject = resolve(listener.subject());
		try {
			NatsSubjectResolver.none().forSubscribe(subject);
		}
		catch (NatsInvalidSubjectException ex) {
			throw new BeanInitializationException(where + " has an invalid subject: " + ex.getMessage(), ex);
		}
		String id = StringUtils.hasText(listener.id()) ? resolve(listener.id()) : defaultId(beanName, method);
		MethodNatsListenerEndpoint endpoint = new MethodNatsListenerEndpoint(id, subject, bean, method, beanName);
		try {
			endpoint.validateParameters();
			String queue = resolve(listener.queue());
			if (StringUtils.hasText(queue)) {
				endpoint.setQueue(NatsSubjectResolver.checkQueueGroup(queue, subject));
			}
			endpoint.setNamespaced(listener.namespaced());
			endpoint.setConcurrency(integer(listener.concurrency(), "concurrency"));
			String autoStartup = resolve(listener.autoStartup());
			if (StringUtils.hasText(autoStartup)) {
				endpoint.setAutoStartup(Boolean.parseBoolean(autoStartup.trim()));
			}
			Integer maxMessages = integer(listener.maxMessages(), "maxMessages");
			endpoint.setMaxMessages((maxMessages != null) ? maxMessages : 0);
			Duration timeout = duration(listener.timeout(), "timeout");
			if (timeout != null) {
				if (timeout.isZero() || timeout.isNegative()) {
					throw new IllegalArgumentException("timeout " + timeout + " must be positive");
				}
				endpoint.setTimeout(timeout);
			}
			String stream = resolve(listener.stream());
			String durable = resolve(listener.durable());
			if (StringUtils.hasText(stream) || StringUtils.hasText(durable)) {
				endpoint.setJetStream(jetStream(listener, stream, durable, endpoint));
			}
			else if (endpoint.hasParameterOfType(Acknowledgment.class)
					|| endpoint.hasParameterOfType(JetStreamMessage.class)) {
				throw new IllegalStateException(
						"takes an Acknowledgment or JetStreamMessage, which only durable listeners"
								+ " (with stream and durable) get");
			}
			if (StringUtils.hasText(listener.errorHandler())) {
				// looked up when first needed: the handler may be defined next to the
				// listener itself
				String handlerName = resolve(listener.errorHandler());
				this.errorHandlerNames.put(handlerName, where);
				endpoint.setErrorHandler((message, exception) -> requiredBeanFactory()
					.getBean(handlerName, NatsListenerErrorHandler.class)
					.handleError(message, exception));
			}
		}
		catch (RuntimeException ex) {
			throw new BeanInitializationException(where + ": " + ex.getMessage(), ex);
		}
		return endpoint;
	}

	/**
	 * The id of a listener that names none: {@code <bean>.<method>}, what metrics, health
	 * and the actuator endpoint show, and the same at every start (no counter across the
	 * application). A method's second listener without an id, from a repeated annotation
	 * or an overload (methods come in name and parameter-type order), gets {@code #2}
	 * appended, the third {@code #3}, and so on.
	 */
	private String defaultId(String beanName, Method method) {
		String base = beanName + "." + method.getName();
		int count = this.defaultIds.computeIfAbsent(base, (key) -> new AtomicInteger()).incrementAndGet();
		return (count == 1) ? base : base + "#" + count;
	}

	private JetStreamListenerSettings jetStream(NatsListener listener, String stream, String durable,
			MethodNatsListenerEndpoint endpoint) {
		if (!StringUtils.hasText(stream) || !StringUtils.hasText(durable)) {
			throw new IllegalStateException("a durable listener needs both stream and durable, got stream '" + stream
					+ "' and durable '" + durable + "'");
		}
		if (endpoint.getQueue() != null) {
			throw new IllegalStateException(
					"queue does not apply to a durable listener: instances with the same durable"
							+ " share its messages already");
		}
		if (endpoint.getMaxMessages() > 0) {
			throw new IllegalStateException("maxMessages does not apply to a durable listener");
		}
		if (endpoint.getTimeout() != null) {
			throw new IllegalStateException("timeout does not apply to a durable listener: its consumer keeps"
					+ " the messages until it is read; stop the container through the NatsListenerEndpointRegistry");
		}
		JetStreamListenerSettings settings = new JetStreamListenerSettings(checkName(stream, "stream"),
				checkName(durable, "durable"));
		String startSequence = resolve(listener.startSequence());
		String startTime = resolve(listener.startTime());
		String deliverPolicy = resolve(listener.deliverPolicy());
		if (StringUtils.hasText(startSequence)) {
			settings.setStartSequence(positive(integerValue(startSequence, "startSequence"), "startSequence"));
		}
		if (StringUtils.hasText(startTime)) {
			try {
				settings.setStartTime(ZonedDateTime.parse(startTime.trim()));
			}
			catch (DateTimeParseException ex) {
				throw new IllegalArgumentException(
						"startTime '" + startTime + "' is not an ISO-8601 date-time such as 2026-01-01T00:00:00Z", ex);
			}
		}
		settings.setDeliverPolicy(deliverPolicy(deliverPolicy, settings));
		String ackWait = resolve(listener.ackWait());
		if (StringUtils.hasText(ackWait)) {
			Duration parsed = AnnotationValueResolver.parseDuration(ackWait, "ackWait");
			if (parsed.toMillis() < 1) {
				throw new IllegalArgumentException("ackWait '" + ackWait + "' must be positive");
			}
			settings.setAckWait(parsed);
		}
		Integer maxDeliver = integer(listener.maxDeliver(), "maxDeliver");
		if (maxDeliver != null) {
			if (maxDeliver == 0 || maxDeliver < -1) {
				throw new IllegalArgumentException(
						"maxDeliver " + maxDeliver + " must be at least 1, or -1 for unlimited");
			}
			settings.setMaxDeliver(maxDeliver);
		}
		String backoff = resolve(listener.backoff());
		if (StringUtils.hasText(backoff)) {
			List<Duration> delays = new ArrayList<>();
			for (String delay : StringUtils.commaDelimitedListToStringArray(backoff)) {
				Duration parsed = AnnotationValueResolver.parseDuration(delay, "backoff");
				if (parsed.isNegative()) {
					throw new IllegalArgumentException("backoff delay '" + delay.trim() + "' is negative");
				}
				delays.add(parsed);
			}
			settings.setBackOff(new DelaySequenceBackOff(delays));
		}
		Integer maxAckPending = integer(listener.maxAckPending(), "maxAckPending");
		if (maxAckPending != null) {
			settings.setMaxAckPending(positive(maxAckPending, "maxAckPending"));
		}
		Integer batchSize = integer(listener.batchSize(), "batchSize");
		if (batchSize != null) {
			settings.setBatchSize(positive(batchSize, "batchSize"));
		}
		String deadLetterSubject = resolve(listener.deadLetterSubject());
		if (StringUtils.hasText(deadLetterSubject)) {
			try {
				NatsSubjectResolver.none().forPublish(deadLetterSubject.trim());
			}
			catch (NatsInvalidSubjectException ex) {
				throw new IllegalArgumentException("deadLetterSubject is invalid: " + ex.getMessage(), ex);
			}
			settings.setDeadLetterSubject(deadLetterSubject.trim());
		}
		settings.setManualAck(endpoint.hasParameterOfType(Acknowledgment.class));
		return settings;
	}

	private static DeliverPolicy deliverPolicy(String value, JetStreamListenerSettings settings) {
		if (!StringUtils.hasText(value)) {
			if (settings.getStartSequence() != null) {
				return DeliverPolicy.ByStartSequence;
			}
			return (settings.getStartTime() != null) ? DeliverPolicy.ByStartTime : DeliverPolicy.All;
		}
		DeliverPolicy policy = switch (value.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
			case "all" -> DeliverPolicy.All;
			case "new" -> DeliverPolicy.New;
			case "last" -> DeliverPolicy.Last;
			case "last-per-subject" -> DeliverPolicy.LastPerSubject;
			case "by-start-sequence" -> DeliverPolicy.ByStartSequence;
			case "by-start-time" -> DeliverPolicy.ByStartTime;
			default -> throw new IllegalArgumentException("deliverPolicy '" + value
					+ "' is not one of all, new, last, last-per-subject, by-start-sequence, by-start-time");
		};
		if (policy == DeliverPolicy.ByStartSequence && settings.getStartSequence() == null) {
			throw new IllegalArgumentException("deliverPolicy by-start-sequence needs startSequence");
		}
		if (policy == DeliverPolicy.ByStartTime && settings.getStartTime() == null) {
			throw new IllegalArgumentException("deliverPolicy by-start-time needs startTime");
		}
		if (policy != DeliverPolicy.ByStartSequence && settings.getStartSequence() != null
				|| policy != DeliverPolicy.ByStartTime && settings.getStartTime() != null) {
			throw new IllegalArgumentException("startSequence and startTime apply only to deliverPolicy"
					+ " by-start-sequence and by-start-time, not " + value);
		}
		return policy;
	}

	private static String checkName(String name, String attribute) {
		String trimmed = name.trim();
		if (!trimmed.matches("[A-Za-z0-9_-]+")) {
			throw new IllegalArgumentException(
					attribute + " '" + name + "' is not a valid JetStream name: use letters, digits, '-' and '_' only");
		}
		return trimmed;
	}

	private static long integerValue(String value, String attribute) {
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(attribute + " '" + value + "' is not a whole number", ex);
		}
	}

	private static <N extends Number> N positive(N value, String attribute) {
		if (value.longValue() < 1) {
			throw new IllegalArgumentException(attribute + " must be at least 1, was " + value);
		}
		return value;
	}

	@Override
	public void afterSingletonsInstantiated() {
		ConfigurableListableBeanFactory factory = requiredBeanFactory();
		this.errorHandlerNames.forEach((name, where) -> {
			if (!factory.containsBean(name) || !factory.isTypeMatch(name, NatsListenerErrorHandler.class)) {
				throw new BeanInitializationException(where + " names errorHandler '" + name
						+ "', but there is no NatsListenerErrorHandler bean of that name");
			}
		});
		factory.getBeanProvider(NatsListenerConfigurer.class)
			.orderedStream()
			.forEach((configurer) -> configurer.configureNatsListeners(this.registrar));
		NatsListenerEndpointRegistry registry = factory.getBean(NatsListenerEndpointRegistry.BEAN_NAME,
				NatsListenerEndpointRegistry.class);
		NatsListenerContainerFactory containerFactory = factory.getBean(DEFAULT_CONTAINER_FACTORY_BEAN_NAME,
				NatsListenerContainerFactory.class);
		this.registrar.registerAll(registry, containerFactory, NatsListenerInvokerContext.create(factory,
				factory.getBean(NatsMessageConverter.class), factory.getBeanProvider(Validator.class).getIfUnique()));
	}

}
