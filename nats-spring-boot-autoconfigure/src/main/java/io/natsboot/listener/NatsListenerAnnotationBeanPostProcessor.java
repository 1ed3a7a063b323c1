package io.natsboot.listener;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.natsboot.core.NatsInvalidSubjectException;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.core.NatsSubjectResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanExpressionResolver;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.util.StringUtils;
import org.springframework.validation.Validator;

/**
 * Finds {@link NatsListener} methods on beans and turns each into a
 * {@link MethodNatsListenerEndpoint}; once all singletons exist, registers them (and those of
 * {@link NatsListenerConfigurer}s) with the {@link NatsListenerEndpointRegistry}, with containers
 * from the {@code natsListenerContainerFactory} bean. Placeholders and expressions in attributes
 * are resolved; an invalid subject or an unresolvable parameter fails start-up naming the bean and
 * method.
 */
public class NatsListenerAnnotationBeanPostProcessor
		implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware, Ordered {

	/** The post-processor's bean name; a bean of this name makes the auto-configured one back off. */
	public static final String BEAN_NAME = "io.natsboot.listener.internalNatsListenerAnnotationProcessor";

	/** The name of the container factory bean listeners use. */
	public static final String DEFAULT_CONTAINER_FACTORY_BEAN_NAME = "natsListenerContainerFactory";

	private final Set<Class<?>> classesWithoutListeners = ConcurrentHashMap.newKeySet();

	private final NatsListenerEndpointRegistrar registrar = new NatsListenerEndpointRegistrar();

	private final AtomicInteger counter = new AtomicInteger();

	/** Error handler bean names, with the listener that names each, checked once all beans exist. */
	private final Map<String, String> errorHandlerNames = new ConcurrentHashMap<>();

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	private @Nullable BeanExpressionResolver expressionResolver;

	private @Nullable BeanExpressionContext expressionContext;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
			this.beanFactory = listable;
			this.expressionResolver = listable.getBeanExpressionResolver();
			this.expressionContext = new BeanExpressionContext(listable, null);
		}
	}

	@Override
	public int getOrder() {
		return LOWEST_PRECEDENCE;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.classesWithoutListeners.contains(targetClass)) {
			return bean;
		}
		Map<Method, Set<NatsListener>> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<Set<NatsListener>>) (method) -> {
					Set<NatsListener> listeners = AnnotatedElementUtils.getMergedRepeatableAnnotations(method,
							NatsListener.class, NatsListeners.class);
					return listeners.isEmpty() ? null : listeners;
				});
		if (annotated.isEmpty()) {
			this.classesWithoutListeners.add(targetClass);
			return bean;
		}
		annotated.forEach((method, listeners) -> listeners
			.forEach((listener) -> this.registrar.registerEndpoint(endpoint(listener, method, bean, beanName))));
		return bean;
	}

	private MethodNatsListenerEndpoint endpoint(NatsListener listener, Method method, Object bean, String beanName) {
		String where = "@NatsListener method '" + method.getName() + "' of bean '" + beanName + "'";
		String subject = resolve(listener.subject());
		try {
			NatsSubjectResolver.none().forSubscribe(subject);
		}
		catch (NatsInvalidSubjectException ex) {
			throw new BeanInitializationException(where + " has an invalid subject: " + ex.getMessage(), ex);
		}
		String id = StringUtils.hasText(listener.id()) ? resolve(listener.id())
				: "natsListener#" + this.counter.getAndIncrement();
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		MethodNatsListenerEndpoint endpoint = new MethodNatsListenerEndpoint(id, subject, bean, invocable, beanName);
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
			if (StringUtils.hasText(listener.errorHandler())) {
				// looked up when first needed: the handler may be defined next to the listener itself
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

	private @Nullable Integer integer(String value, String attribute) {
		String resolved = resolve(value);
		if (!StringUtils.hasText(resolved)) {
			return null;
		}
		try {
			return Integer.valueOf(resolved.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(attribute + " '" + resolved + "' is not a whole number", ex);
		}
	}

	private String resolve(String value) {
		if (this.beanFactory == null || !StringUtils.hasText(value)) {
			return value;
		}
		String resolved = this.beanFactory.resolveEmbeddedValue(value);
		if (resolved != null && this.expressionResolver != null && this.expressionContext != null) {
			Object evaluated = this.expressionResolver.evaluate(resolved, this.expressionContext);
			return (evaluated != null) ? evaluated.toString() : "";
		}
		return (resolved != null) ? resolved : "";
	}

	@Override
	public void afterSingletonsInstantiated() {
		ConfigurableListableBeanFactory factory = requiredBeanFactory();
		this.errorHandlerNames.forEach((name, where) -> {
			if (!factory.containsBean(name) || !factory.isTypeMatch(name, NatsListenerErrorHandler.class)) {
				throw new BeanInitializationException(
						where + " names errorHandler '" + name + "', but there is no NatsListenerErrorHandler bean of that name");
			}
		});
		factory.getBeanProvider(NatsListenerConfigurer.class)
			.orderedStream()
			.forEach((configurer) -> configurer.configureNatsListeners(this.registrar));
		NatsListenerEndpointRegistry registry = factory.getBean(NatsListenerEndpointRegistry.BEAN_NAME,
				NatsListenerEndpointRegistry.class);
		NatsListenerContainerFactory containerFactory = factory.getBean(DEFAULT_CONTAINER_FACTORY_BEAN_NAME,
				NatsListenerContainerFactory.class);
		this.registrar.registerAll(registry, containerFactory, new NatsListenerInvokerContext(
				messageHandlerMethodFactory(factory), factory.getBean(NatsMessageConverter.class)));
	}

	private DefaultMessageHandlerMethodFactory messageHandlerMethodFactory(ConfigurableListableBeanFactory factory) {
		DefaultMessageHandlerMethodFactory methodFactory = new DefaultMessageHandlerMethodFactory();
		methodFactory.setBeanFactory(factory);
		methodFactory.setMessageConverter(
				new NatsMessagingMessageConverter(factory.getBean(NatsMessageConverter.class)));
		methodFactory.setCustomArgumentResolvers(List.of(new NatsListenerArgumentResolver()));
		Validator validator = factory.getBeanProvider(Validator.class).getIfUnique();
		if (validator != null) {
			methodFactory.setValidator(validator);
		}
		methodFactory.afterPropertiesSet();
		return methodFactory;
	}

	private ConfigurableListableBeanFactory requiredBeanFactory() {
		if (this.beanFactory == null) {
			throw new IllegalStateException("NatsListenerAnnotationBeanPostProcessor needs a bean factory");
		}
		return this.beanFactory;
	}

}
