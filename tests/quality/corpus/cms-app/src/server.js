require('dotenv').config();
const bcrypt = require('bcryptjs');
const express = require('express');
const session = require('express-session');
const config = require('../config/default');

const app = express();
app.use(express.urlencoded({ extended: false }));
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false,
  cookie: { maxAge: config.sessionMaxAgeMs, httpOnly: true } }));
app.use(express.static('public'));

app.post('/login', async (req, res) => {
  const user = await require('./db').findUser(req.body.username);
  if (user && (await bcrypt.compare(req.body.password, user.passwordHash))) {
    req.session.userId = user.id;
    return res.redirect('/admin');
  }
  res.status(401).sendFile('login.html', { root: 'views' });
});

app.listen(config.port);
