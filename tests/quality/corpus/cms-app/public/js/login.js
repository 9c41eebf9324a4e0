// Show or hide the password field's text.
const passwordInputContainer = document.getElementById('password-input-container');
const passwordInput = passwordInputContainer.querySelector('input[type="password"]');
const toggle = document.getElementById('toggle-password');

toggle.addEventListener('click', () => {
  const hidden = passwordInput.getAttribute('type') === 'password';
  passwordInput.setAttribute('type', hidden ? 'text' : 'password');
  toggle.textContent = hidden ? 'Hide password' : 'Show password';
});
